/**
 * Document order across shadow trees: a shadow root's content sits at its host's position.
 */

/** The node, then the host of its tree, then that host's host, … up to the document's tree. */
function lifts(node: Node): Node[] {
  const chain = [node];
  let root = node.getRootNode();
  while (root instanceof ShadowRoot) {
    chain.push(root.host);
    root = root.host.getRootNode();
  }
  return chain;
}

/**
 * Compares two ranges by their start in composed document order.
 * @returns negative when `a` starts first, positive when `b` does, 0 when they start at the same point.
 */
export function compareRanges(a: Range, b: Range): number {
  if (a.startContainer.getRootNode() === b.startContainer.getRootNode()) return a.compareBoundaryPoints(Range.START_TO_START, b);
  const la = lifts(a.startContainer);
  const lb = lifts(b.startContainer);
  for (let i = 0; i < la.length; i++) {
    const rootA = la[i]!.getRootNode();
    const j = lb.findIndex((n) => n.getRootNode() === rootA);
    if (j < 0) continue;
    const na = la[i]!;
    const nb = lb[j]!;
    if (na === nb) return i - j; // the deeper one (still inside the shared host's shadow) comes after the host itself
    const pos = na.compareDocumentPosition(nb);
    if (pos & Node.DOCUMENT_POSITION_CONTAINED_BY) return -1;
    if (pos & Node.DOCUMENT_POSITION_CONTAINS) return 1;
    return pos & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  }
  return 0;
}
