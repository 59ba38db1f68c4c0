import { describe, expect, it } from 'vitest';
import { renderOperationsModule } from '../../scripts/generate/operations-module.js';
import type { OperationObject, SpecDocument } from '../../scripts/generate/spec-model.js';

function specWith(extension: OperationObject['x-consumer-instance']): SpecDocument {
  return {
    paths: {
      '/consumers/{group_name}/instances/{instance}/records': {
        parameters: [{ name: 'group_name', in: 'path' }],
        get: {
          operationId: 'records',
          'x-permission': 'none',
          security: [],
          parameters: [{ name: 'instance', in: 'path' }],
          ...(extension === undefined ? {} : { 'x-consumer-instance': extension }),
          responses: { '200': { content: { 'application/json': {} } } },
        },
      },
    },
  };
}

describe('x-consumer-instance in the generator', () => {
  it('puts the path parameters naming the instance into the operation metadata; absent, nothing is added', () => {
    expect(renderOperationsModule(specWith({ group: 'group_name', instance: 'instance' }))).toContain(
      '"consumerInstance":{"group":"group_name","instance":"instance","creates":false}',
    );
    expect(renderOperationsModule(specWith({ group: 'group_name', instance: 'instance', creates: true }))).toContain('"creates":true');
    expect(renderOperationsModule(specWith(undefined))).not.toContain('"consumerInstance"');
  });

  it('refuses a name that is not one of the operation path parameters, and a creates that is not a boolean', () => {
    expect(() => renderOperationsModule(specWith({ group: 'group', instance: 'instance' }))).toThrow(/x-consumer-instance.group must name one of its path parameters \(group_name, instance\)/);
    expect(() => renderOperationsModule(specWith({ group: 'group_name' }))).toThrow(/x-consumer-instance.instance/);
    expect(() => renderOperationsModule(specWith({ group: 'group_name', instance: 'instance', creates: 'yes' }))).toThrow(/creates must be true or false/);
  });
});
