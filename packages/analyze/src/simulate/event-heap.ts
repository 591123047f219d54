/** A pending output line and when it happens. */
export interface PendingLine {
  readonly time: number;
  /** Insertion order: equal times come out in the order they went in. */
  readonly sequence: number;
  readonly text: string;
}

const before = (a: PendingLine, b: PendingLine): boolean => a.time < b.time || (a.time === b.time && a.sequence < b.sequence);

/** A binary min-heap of lines by time, so a simulated export comes out in time order. */
export class EventHeap {
  private readonly items: PendingLine[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): PendingLine | undefined {
    return this.items[0];
  }

  push(item: PendingLine): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): PendingLine | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && before(items[left]!, items[smallest]!)) smallest = left;
        if (right < items.length && before(items[right]!, items[smallest]!)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest]!, items[i]!];
        i = smallest;
      }
    }
    return top;
  }
}
