/** The `data` of a v3 `configs:alter` request as domain config changes. */
import type { ConfigChange } from '../../core/model.js';
import { DomainError } from '../../errors/domain-error.js';

/** SET needs a value; DELETE removes the dynamic one. */
export function configChanges(data: readonly { name: string; value?: string | null; operation?: 'SET' | 'DELETE' }[]): ConfigChange[] {
  return data.map((d) => {
    if (d.operation === 'DELETE') return { name: d.name, value: null };
    if (d.value === undefined || d.value === null) throw new DomainError('invalid_payload', `SET of '${d.name}' needs a value.`);
    return { name: d.name, value: d.value };
  });
}
