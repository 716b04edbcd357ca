// What the input holds of the kinds the checks read.

/** Which optional resources the input really covers; a check needing a missing one is skipped. */
export interface InputCoverage {
  endpoints: boolean;
  endpointSlices: boolean;
  nodes: boolean;
  /**
   * Pods were read (always, live; a snapshot only when it holds a Pod or says it read them).
   * Which namespaces that covers is podsReadIn's question.
   */
  pods: boolean;
}
