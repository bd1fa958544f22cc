import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

// A few business metrics (CloudWatch EMF through Powertools): places confirmed and waitlisted, emails
// sent and withheld, eligibility outcomes. Counts only, never who. Locally and in tests they are off
// (POWERTOOLS_DEV or POWERTOOLS_METRICS_DISABLED).

const emf = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'FamilyServices' });
let pending = false;

export const metrics = {
  count(name: string, n: number): void {
    if (n <= 0) return;
    emf.addMetric(name, MetricUnit.Count, n);
    pending = true;
  },
  /** Writes what this invocation counted (one EMF line); the edge and the notifier call it as they finish. */
  flush(): void {
    if (!pending) return;
    pending = false;
    emf.publishStoredMetrics();
  },
};
