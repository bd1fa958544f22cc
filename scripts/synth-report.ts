import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// After `cdk synth`: what a reviewer asks of the templates, printed. Both cdk-nag packs run on synth as
// errors (infra/app.ts), so reaching here means no finding is unacknowledged; this lists how many were
// acknowledged, per pack, each with its reason in the metadata, and where the WAF is attached.

const out = process.argv[2] ?? 'cdk.out';
type Metadata = Record<string, { type: string; data: unknown }[]>;
type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

const stacks = readdirSync(out).filter((f) => f.endsWith('.template.json')).map((f) => f.replace('.template.json', ''));
const acknowledged = new Map<string, number>();
for (const stack of stacks) {
  const metadata = JSON.parse(readFileSync(join(out, `${stack}.metadata.json`), 'utf8')) as Metadata;
  for (const entries of Object.values(metadata)) {
    for (const e of entries.filter((x) => x.type === 'aws:cdk:acknowledged-rules')) {
      for (const [rule, reason] of Object.entries(e.data as Record<string, string>)) {
        if (!reason.trim()) throw new Error(`${rule} is acknowledged without a reason`);
        const pack = /(AwsSolutions|Serverless)-/.exec(rule)?.[1] ?? 'other';
        acknowledged.set(pack, (acknowledged.get(pack) ?? 0) + 1);
      }
    }
  }
}
const counts = ['AwsSolutions', 'Serverless'].map((p) => `${p} ${acknowledged.get(p) ?? 0}`).join(', ');
console.log(`cdk-nag: AwsSolutions and Serverless ran on synth with no unacknowledged finding (acknowledged with a reason: ${counts})`);

for (const stack of stacks) {
  const template = JSON.parse(readFileSync(join(out, `${stack}.template.json`), 'utf8')) as Template;
  for (const [id, r] of Object.entries(template.Resources)) {
    if (r.Type === 'AWS::WAFv2::WebACL') {
      const rules = (r.Properties.Rules as { Name: string }[]).map((x) => x.Name).join(', ');
      console.log(`WAF: ${stack}/${id} (scope ${r.Properties.Scope}), rules: ${rules}`);
    }
    if (r.Type === 'AWS::CloudFront::Distribution') {
      const acl = (r.Properties.DistributionConfig as { WebACLId?: unknown }).WebACLId;
      if (!acl) throw new Error(`${stack}/${id} has no web ACL`);
      console.log(`CloudFront: ${stack}/${id} with web ACL ${JSON.stringify(acl)}`);
    }
  }
}
