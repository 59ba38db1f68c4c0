/** The cluster the proxy fronts: its id, brokers and controller. */
import { DomainError } from '../errors/domain-error.js';
import type { BrokerInfo, ClusterAdminPort, ClusterInfo } from './model.js';

export class ClusterService {
  private knownId: Promise<string> | undefined;

  constructor(private readonly admin: ClusterAdminPort) {}

  /**
   * `clusterId` if it names the cluster (404 otherwise), without a Kafka round trip once the id is known: a
   * cluster's id never changes. For the hot paths (produce) that only need the id checked.
   */
  async requireId(clusterId: string): Promise<string> {
    this.knownId ??= this.admin.describeCluster().then((c) => c.clusterId);
    const id = await this.knownId.catch((error: unknown) => {
      this.knownId = undefined;
      throw error;
    });
    if (id !== clusterId) throw new DomainError('cluster_not_found', `Cluster ${clusterId} cannot be found.`);
    return id;
  }

  describe(): Promise<ClusterInfo> {
    return this.admin.describeCluster();
  }

  /** The cluster, if `clusterId` names it; Confluent's dialects address it by id. */
  async get(clusterId: string): Promise<ClusterInfo> {
    const cluster = await this.admin.describeCluster();
    if (cluster.clusterId !== clusterId) {
      throw new DomainError('cluster_not_found', `Cluster ${clusterId} cannot be found.`);
    }
    return cluster;
  }

  /** The cluster and one of its brokers; 404 when the cluster has no broker with that id. */
  async getBroker(clusterId: string, brokerId: number): Promise<{ cluster: ClusterInfo; broker: BrokerInfo }> {
    const cluster = await this.get(clusterId);
    const broker = cluster.brokers.find((b) => b.brokerId === brokerId);
    if (!broker) throw new DomainError('route_not_found', `Broker ${brokerId} cannot be found.`);
    return { cluster, broker };
  }
}
