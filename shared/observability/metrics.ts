// A few business metrics as CloudWatch Embedded Metric Format lines: places confirmed and waitlisted,
// emails sent and withheld, eligibility outcomes. Counts only, never who. Off when METRICS_DISABLED is
// set (the local stack, tests): the lines would only clutter a terminal.

const counts = new Map<string, number>();

export const metrics = {
  count(name: string, n: number): void {
    if (n > 0) counts.set(name, (counts.get(name) ?? 0) + n);
  },
  /** Writes what this invocation counted, as one EMF line; the edge and the notifier call it as they finish. */
  flush(): void {
    if (counts.size === 0) return;
    const service = process.env.SERVICE_NAME ?? 'family-services';
    const line = {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [{
          Namespace: process.env.METRICS_NAMESPACE ?? 'FamilyServices', Dimensions: [['service']],
          Metrics: [...counts.keys()].map((Name) => ({ Name, Unit: 'Count' })),
        }],
      },
      service, ...Object.fromEntries(counts),
    };
    counts.clear();
    if (!process.env.METRICS_DISABLED) process.stdout.write(`${JSON.stringify(line)}\n`);
  },
};
