/**
 * SDK smoke test (TypeScript, typescript-fetch): with nothing but the generated client, against the proxy at
 * $KAFKA_REST_URL, produces one record to the existing topic $KAFKA_REST_TOPIC and reads it back. Exits 1 when the
 * record read is not the one produced.
 */
// The generated package is CommonJS (its package.json has no "type"): Node hands an ES module its exports object as
// the default export.
import sdk from '../../../generated/sdk/typescript/src/index.js';

const VALUE = 'hello-typescript';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const topicName = requiredEnv('KAFKA_REST_TOPIC');
// The v3 operations are grouped by resource: clusters, records, ... (one API class each).
const configuration = new sdk.Configuration({ basePath: requiredEnv('KAFKA_REST_URL') });
const api = new sdk.RecordsV3Api(configuration);

const clusterId = (await new sdk.ClustersV3Api(configuration).v3ListClusters()).data[0]?.cluster_id;
if (clusterId === undefined) throw new Error('the proxy lists no cluster');

const report = await api.v3ProduceRecords({ clusterId, topicName, produceRecord: { value: { type: 'STRING', data: VALUE } } });
if (report.offset === undefined || report.partition_id === undefined) throw new Error(`produce failed: ${JSON.stringify(report)}`);
console.log(`produced offset=${report.offset} value=${VALUE}`);

const records = await api.v3ReadPartitionRecords({ clusterId, topicName, partitionId: report.partition_id, offset: report.offset, maxRecords: 1 });
const record = records.data[0];
if (record?.value == null) throw new Error(`no record with a value at offset ${report.offset}`);
const readValue = Buffer.from(record.value.data, 'base64').toString('utf8');
console.log(`read offset=${record.offset} value=${readValue}`);

if (record.offset !== report.offset || readValue !== VALUE) process.exit(1);
