/** Operational endpoints: liveness, readiness, Prometheus metrics, the bundled spec and the API reference page. */
import type { OperationHandlers } from '../../../generated/operations.js';
import type { Services } from '../../core/services.js';
import { isDomainError } from '../../errors/domain-error.js';
import type { RequestContext } from '../../server/request-context.js';

type OpsHandlers = Pick<
  OperationHandlers<RequestContext>,
  'getLiveness' | 'getReadiness' | 'getMetrics' | 'getOpenApiDocument' | 'getApiReference'
>;

export interface OpsResources {
  /** The bundled spec, served as it is. */
  readonly spec: Record<string, unknown>;
  /** The Redoc page, built once at start. */
  readonly referencePage: () => string;
  /** The metrics' exposition text and its exact media type (with the format's version). */
  readonly metrics: () => Promise<{ readonly text: string; readonly contentType: string }>;
}

export function createOpsHandlers(services: Services, resources: OpsResources): OpsHandlers {
  return {
    getLiveness: async () => ({ status: 200, body: { status: 'ok' } }),
    getReadiness: async () => {
      try {
        const cluster = await services.cluster.describe();
        return {
          status: 200,
          body: { status: 'ready', kafka: { reachable: true, cluster_id: cluster.clusterId, brokers: cluster.brokers.length } },
        };
      } catch (error) {
        const message = isDomainError(error) ? error.message : String(error);
        return { status: 503, body: { status: 'unavailable', kafka: { reachable: false, error: message } } };
      }
    },
    getMetrics: async () => {
      const { text, contentType } = await resources.metrics();
      return { status: 200, body: text, headers: { 'Content-Type': contentType } };
    },
    getOpenApiDocument: async () => ({ status: 200, body: resources.spec }),
    getApiReference: async () => ({ status: 200, body: resources.referencePage() }),
  };
}
