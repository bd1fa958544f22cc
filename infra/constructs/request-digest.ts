import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { ParamsAndSecretsLayerVersion, ParamsAndSecretsLogLevel, ParamsAndSecretsVersions } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { AppFunctionProps } from './lambda.ts';

/**
 * The secret that keys the digests idempotent requests keep of their bodies (shared/secrets/request-digest.ts),
 * generated here, so no one ever sees it. The functions that take idempotent requests read it once per container
 * through the Parameters and Secrets extension, as they read DfE's: no Secrets Manager SDK, nothing at cold start.
 */
export class RequestDigestSecret extends Construct {
  readonly secret: Secret;
  readonly functionProps: Partial<AppFunctionProps>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'Keys the HMAC-SHA-256 digests idempotent requests keep of their bodies (never logged, never leaves the functions)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      // Kept if the stack goes: a new one would only make retries within the records' 24 hours 422s, but nothing needs that.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'An HMAC key for request digests, not a credential: nothing outside the functions holds it, and it is safe to replace by hand '
        + '(digests live 24 hours; a retry across the change is a 422). Automatic rotation would need a rotation function for no gain.',
    });
    this.functionProps = {
      environment: { REQUEST_DIGEST_SECRET_ID: this.secret.secretArn },
      paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103, {
        cacheSize: 5, logLevel: ParamsAndSecretsLogLevel.WARN,
      }),
    };
  }
}
