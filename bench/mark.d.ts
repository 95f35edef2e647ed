/** The part of mark.js (npm `mark.js`, no bundled types) the bench uses. */
declare module 'mark.js' {
  interface MarkOptions {
    separateWordSearch?: boolean;
    accuracy?: 'partially' | 'complementary' | 'exactly' | { value: 'partially' | 'complementary' | 'exactly'; limiters: string[] };
    diacritics?: boolean;
    caseSensitive?: boolean;
    acrossElements?: boolean;
    ignoreJoiners?: boolean;
    exclude?: string[];
    done?: (totalMatches: number) => void;
  }
  export default class Mark {
    constructor(context: Element | Element[] | NodeList | string);
    mark(keywords: string | string[], options?: MarkOptions): void;
    unmark(options?: { done?: () => void }): void;
  }
}
