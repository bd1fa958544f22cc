import madge from 'madge';
import { describe, expect, it } from 'vitest';

// The shape the code keeps (ARCHITECTURE.md): no import cycles; a domain that imports no storage, HTTP or
// AWS code; the table's layout known to the store alone. Read from the real import graph (madge), so a new
// file that breaks a rule fails here.

const graph = await madge(['shared', 'functions', 'infra'], {
  fileExtensions: ['ts'], tsConfig: 'tsconfig.json', baseDir: process.cwd(), includeNpm: true,
});
const imports = graph.obj();
const importsOf = (prefix: string) => Object.entries(imports).filter(([file]) => file.startsWith(prefix));

describe('the import graph', () => {
  it('has no cycles', () => {
    expect(graph.circular()).toEqual([]);
  });

  it('keeps the domain free of storage, HTTP and AWS code', () => {
    const bad = importsOf('shared/domain/').flatMap(([file, deps]) => deps
      .filter((d) => /^shared\/(store|http|services|schemes|mail|reactions|eligibility)\/|@aws-sdk|aws-lambda|@aws-lambda-powertools|@middy/.test(d))
      .map((d) => `${file} → ${d}`));
    expect(bad).toEqual([]);
  });

  it('keeps schemas below everything but the council profile, the schemes\' policy numbers and registry, ids and the calendar', () => {
    const bad = importsOf('shared/schemas/').flatMap(([file, deps]) => deps
      .filter((d) => d.startsWith('shared/') && !/^shared\/(schemas|council)\/|^shared\/schemes\/([\w-]+\/rules|registry)\.ts$|^shared\/domain\/(ids|calendar)\.ts$/.test(d))
      .map((d) => `${file} → ${d}`));
    expect(bad).toEqual([]);
  });

  it('lets only the store know the table layout', () => {
    const bad = Object.entries(imports).filter(([file]) => !file.startsWith('shared/store/')).flatMap(([file, deps]) => deps
      .filter((d) => d === 'shared/store/keys.ts' || d === 'shared/store/dynamo.ts').map((d) => `${file} → ${d}`));
    expect(bad).toEqual([]);
  });

  it('has use cases that take ports, not the stores themselves', () => {
    const bad = [...importsOf('shared/services/'), ...importsOf('shared/schemes/')].flatMap(([file, deps]) => deps
      .filter((d) => d.startsWith('shared/store/')).map((d) => `${file} → ${d}`));
    expect(bad).toEqual([]);
  });
});
