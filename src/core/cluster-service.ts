/** The cluster the proxy fronts: its id, brokers and controller. */
import { DomainError } from '../errors/domain-error.js';
import type { ClusterAdminPort, ClusterInfo } from './model.js';

export class ClusterService {
  constructor(private readonly admin: ClusterAdminPort) {}

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
}
