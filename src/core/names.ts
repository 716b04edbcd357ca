// Kubernetes' syntax for names, label keys and label values, as the API server validates them
// (k8s.io/apimachinery/pkg/util/validation/validation.go: IsDNS1123Label, IsDNS1123Subdomain,
// IsQualifiedName, IsValidLabelValue). Each returns undefined when the text is valid, else what
// is wrong with it, in a few words.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The name part of a qualified name, and a non-empty label value: alphanumeric at both ends, -_. inside. */
const QUALIFIED_NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** IsDNS1123Label: namespaces; Services (NameIsDNSLabel, which KEP-5311 allows for them too). */
export function dns1123LabelError(text: string): string | undefined {
  if (text.length > 63) return 'must be at most 63 characters';
  if (!DNS1123_LABEL.test(text))
    return 'must be lowercase letters, digits and -, starting and ending with a letter or digit';
  return undefined;
}

/** IsDNS1123Subdomain: the names of Pods, EndpointSlices, Endpoints and Nodes (NameIsDNSSubdomain). */
export function dns1123SubdomainError(text: string): string | undefined {
  if (text.length > 253) return 'must be at most 253 characters';
  if (!DNS1123_SUBDOMAIN.test(text)) {
    return 'must be lowercase letters, digits, - and ., starting and ending with a letter or digit';
  }
  return undefined;
}

/** IsQualifiedName: label keys (and selector keys), an optional DNS subdomain prefix and "/" before the name. */
export function labelKeyError(key: string): string | undefined {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix === '') return 'has an empty prefix before "/"';
    const prefixError = dns1123SubdomainError(prefix);
    if (prefixError) return `has a prefix that ${prefixError}`;
  }
  if (name === '') return 'has no name';
  if (name.length > 63) return 'has a name longer than 63 characters';
  if (!QUALIFIED_NAME_PART.test(name)) {
    return 'must be letters, digits, -, _ and . (with an optional prefix/), starting and ending with a letter or digit';
  }
  return undefined;
}

/** IsValidLabelValue: empty, or like a qualified name's name part. */
export function labelValueError(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'must be at most 63 characters';
  if (!QUALIFIED_NAME_PART.test(value)) {
    return 'must be empty or letters, digits, -, _ and ., starting and ending with a letter or digit';
  }
  return undefined;
}
