import { Validations } from 'aws-cdk-lib';
import type { NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';

// cdk-nag's findings as synth sees them: a finding acknowledged (with its reason) on the resource or one of its
// parents (Validations.of(…).acknowledge) does not fail synth, so it is no finding here either.

/** Rule ids acknowledged on the construct or a parent, each with a reason (`{ "<pack>::<rule>": reason }`). */
const acknowledgedIds = (construct: IConstruct) => construct.node.scopes.flatMap((scope) => scope.node.metadata
  .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
  .flatMap((m) => Object.entries(m.data as Record<string, string>).filter(([, reason]) => reason.trim().length > 20).map(([id]) => id)));

/** `<rule> at <construct path>` for every finding no one acknowledged. */
export function unacknowledged(app: IConstruct, packs: NagPack[]): string[] {
  const byPath = new Map(app.node.findAll().map((c) => [c.node.path, c]));
  return packs.flatMap((pack) => pack.validateScope(app).violations.flatMap((v) => v.violatingResources
    .filter((r) => {
      const construct = byPath.get(r.constructPath ?? '');
      return !construct || !acknowledgedIds(construct).some((id) => id.endsWith(`::${v.ruleName}`));
    })
    .map((r) => `${v.ruleName} at ${r.constructPath}`)));
}
