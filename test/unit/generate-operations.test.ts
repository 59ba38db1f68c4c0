import { describe, expect, it } from 'vitest';
import { dialectOf, renderOperationsModule } from '../../scripts/generate/operations-module.js';
import type { SpecDocument } from '../../scripts/generate/spec-model.js';

const spec: SpecDocument = {
  security: [{ basicAuth: [] }],
  paths: {
    '/v3/things': {
      post: {
        operationId: 'createThing',
        'x-permission': 'admin',
        summary: 'Create a thing',
        requestBody: { $ref: '#/components/requestBodies/Thing' },
        parameters: [{ name: 'X-Trace', in: 'header' }, { name: 'q', in: 'query' }],
        responses: {
          '201': { content: { 'application/json': {} } },
          '401': { $ref: '#/components/responses/Err' },
          '403': { $ref: '#/components/responses/Err' },
          '404': { $ref: '#/components/responses/Err' },
        },
      },
    },
  },
  components: {
    requestBodies: { Thing: { required: true, content: { 'application/json': {} } } },
    responses: { Err: { content: { 'application/problem+json': {} } } },
  },
};

describe('the operations module generator', () => {
  it('emits a typed handler entry and metadata for every operation, resolving references', () => {
    const text = renderOperationsModule(spec);
    expect(text).toContain("createThing: OperationHandler<'createThing', Ctx>;");
    expect(text).toContain('"dialect":"v3","permission":"admin",');
    expect(text).toContain(
      '"requestContentTypes":["application/json"],"requestBodyRequired":true,"rawBody":false,"streamingBody":false,"headerParameters":["X-Trace"],"responseContentTypes":{"201":"application/json","401":"application/problem+json","403":"application/problem+json","404":"application/problem+json"}',
    );
  });

  it('refuses operations without an id and duplicate ids', () => {
    expect(() => renderOperationsModule({ paths: { '/x': { get: { responses: {} } } } })).toThrow(/no operationId/);
    const a = { operationId: 'a', 'x-permission': 'none', responses: {} };
    expect(() => renderOperationsModule({ paths: { '/x': { get: a }, '/y': { get: a } } })).toThrow(/used twice/);
  });

  it('refuses an operation without a decision on who may call it, or whose decision contradicts its security', () => {
    const op = (extra: Record<string, unknown>) => ({ paths: { '/x': { get: { operationId: 'x', responses: { '200': {} }, ...extra } } } });
    expect(() => renderOperationsModule(op({}))).toThrow(/GET \/x \(x\) needs x-permission/);
    expect(() => renderOperationsModule(op({ 'x-permission': 'root' }))).toThrow(/needs x-permission/);
    expect(() => renderOperationsModule({ security: [{ basicAuth: [] }], ...op({ 'x-permission': 'none' }) })).toThrow(/requires credentials/);
    expect(() => renderOperationsModule(op({ 'x-permission': 'read' }))).toThrow(/has security: \[\]/);
    expect(() => renderOperationsModule({ security: [{ basicAuth: [] }], ...op({ 'x-permission': 'read' }) })).toThrow(/does not declare 401 and 403/);
    expect(renderOperationsModule(op({ 'x-permission': 'none' }))).toContain('"permission":"none"');
  });

  it('derives the dialect from the mount point', () => {
    expect(dialectOf('/upstash/topics')).toBe('upstash');
    expect(dialectOf('/v3/clusters')).toBe('v3');
    expect(dialectOf('/topics')).toBe('v2');
    expect(dialectOf('/healthz', ['Operations'])).toBe('ops');
  });
});
