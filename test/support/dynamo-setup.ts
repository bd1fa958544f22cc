import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startDynamo } from '../../infra/local/dynamo.ts';

// One DynamoDB Local for every integration test file; each file creates its own table.
export default async function setup(project: TestProject) {
  const dynamo = await startDynamo(await freePort());
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => dynamo.stop();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

declare module 'vitest' {
  export interface ProvidedContext { dynamoEndpoint: string }
}
