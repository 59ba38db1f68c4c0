import { describe, expect, it } from 'vitest';
import { dialectOf, renderOperationsModule } from '../../scripts/generate/operations-module.js';
import type { SpecDocument } from '../../scripts/generate/spec-model.js';

const spec: SpecDocument = {
  paths: {
    '/v3/things': {
      post: {
        operationId: 'createThing',
        summary: 'Create a thing',
        requestBody: { $ref: '#/components/requestBodies/Thing' },
        parameters: [{ name: 'X-Trace', in: 'header' }, { name: 'q', in: 'query' }],
        responses: { '201': { content: { 'application/json': {} } }, '404': { $ref: '#/components/responses/Err' } },
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
    expect(text).toContain(
      '"requestContentTypes":["application/json"],"requestBodyRequired":true,"rawBody":false,"streamingBody":false,"headerParameters":["X-Trace"],"responseContentTypes":{"201":"application/json","404":"application/problem+json"}',
    );
  });

  it('refuses operations without an id and duplicate ids', () => {
    expect(() => renderOperationsModule({ paths: { '/x': { get: { responses: {} } } } })).toThrow(/no operationId/);
    expect(() =>
      renderOperationsModule({ paths: { '/x': { get: { operationId: 'a', responses: {} } }, '/y': { get: { operationId: 'a', responses: {} } } } }),
    ).toThrow(/used twice/);
  });

  it('derives the dialect from the mount point', () => {
    expect(dialectOf('/upstash/topics')).toBe('upstash');
    expect(dialectOf('/v3/clusters')).toBe('v3');
    expect(dialectOf('/topics')).toBe('v2');
    expect(dialectOf('/healthz', ['Operations'])).toBe('ops');
  });
});
