/**
 * Document order of boundary points (node, offset) across shadow trees: a shadow root's content
 * sits at its host's position. Works without live `Range`s, so mentions can use `StaticRange`s.
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

/** Compares two boundary points in one tree. */
function compareInTree(a: Node, aOffset: number, b: Node, bOffset: number): number {
  if (a === b) return aOffset - bOffset;
  if (a.nodeType === Node.TEXT_NODE && b.nodeType === Node.TEXT_NODE) {
    return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  }
  const range = a.ownerDocument!.createRange();
  range.setStart(a, aOffset);
  return -range.comparePoint(b, bOffset) || 0;
}

/**
 * Compares two boundary points in composed document order.
 * @returns negative when (a, aOffset) comes first, positive when (b, bOffset) does, 0 when equal.
 */
export function comparePoints(a: Node, aOffset: number, b: Node, bOffset: number): number {
  if (a === b) return aOffset - bOffset;
  if (a.getRootNode() === b.getRootNode()) return compareInTree(a, aOffset, b, bOffset);
  const la = lifts(a);
  const lb = lifts(b);
  for (let i = 0; i < la.length; i++) {
    const rootA = la[i]!.getRootNode();
    const j = lb.findIndex((n) => n.getRootNode() === rootA);
    if (j < 0) continue;
    const na = la[i]!;
    const nb = lb[j]!;
    if (na === nb) return i - j; // the one still inside the shared host's shadow comes after the host itself
    const pos = na.compareDocumentPosition(nb);
    if (pos & Node.DOCUMENT_POSITION_CONTAINED_BY) return i === 0 ? compareInTree(na, aOffset, nb, 0) : -1;
    if (pos & Node.DOCUMENT_POSITION_CONTAINS) return j === 0 ? compareInTree(na, 0, nb, bOffset) : 1;
    return pos & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  }
  return 0;
}
