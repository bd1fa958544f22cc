import { ParamsAndSecretsLayerVersion, ParamsAndSecretsLogLevel, ParamsAndSecretsVersions } from 'aws-cdk-lib/aws-lambda';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { AppFunctionProps } from './lambda.ts';

export interface DfeAccessProps {
  /** DfE's eligibility checking API, e.g. its production base URL. */
  apiUrl: string;
  /** An existing Secrets Manager secret holding { "clientId": "…", "clientSecret": "…" } from DfE. */
  secretName: string;
}

/**
 * What the function that checks eligibility needs to call DfE: the API's address, and the credentials
 * from Secrets Manager through the Parameters and Secrets extension (shared/eligibility/dfe-secret.ts),
 * so they are never in the function's configuration and no Secrets Manager SDK is bundled.
 */
export class DfeAccess extends Construct {
  readonly secret: ISecret;
  readonly functionProps: Partial<AppFunctionProps>;

  constructor(scope: Construct, id: string, props: DfeAccessProps) {
    super(scope, id);
    this.secret = Secret.fromSecretNameV2(this, 'Credentials', props.secretName);
    this.functionProps = {
      environment: { DFE_API_URL: props.apiUrl, DFE_SECRET_ID: props.secretName },
      paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103, {
        cacheSize: 5, logLevel: ParamsAndSecretsLogLevel.WARN,
      }),
    };
  }
}
