// A clock a test moves by hand: shared by the DfE client, the DfE double and the deps, so one
// `advance` (or the client's own pauses) moves time for all of them and nothing waits for real.

export class FakeClock {
  constructor(private ms = Date.parse('2026-11-23T10:00:00Z')) {}

  /** Arrow properties, so `clock.now` and `clock.sleep` can be handed out on their own. */
  readonly now = (): number => this.ms;

  /** The client's pause between polls: time moves on by `ms`, and it resolves at once. */
  readonly sleep = (ms: number): Promise<void> => {
    this.advance(ms);
    return Promise.resolve();
  };

  readonly date = (): Date => new Date(this.ms);

  advance(ms: number): void {
    this.ms += Math.max(0, ms);
  }
}
