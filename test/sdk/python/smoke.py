"""SDK smoke test (Python): with nothing but the generated client, against the proxy at $KAFKA_REST_URL, produces
one record to the existing topic $KAFKA_REST_TOPIC and reads it back. Exits 1 when the record read is not the one
produced."""
import base64
import os
import sys

import kafka_rest_client
from kafka_rest_client import ClustersV3Api, ProduceData, ProduceRecord, RecordsV3Api

VALUE = "hello-python"


def main() -> int:
    topic = os.environ["KAFKA_REST_TOPIC"]
    configuration = kafka_rest_client.Configuration(host=os.environ["KAFKA_REST_URL"])
    with kafka_rest_client.ApiClient(configuration) as client:
        # The v3 operations are grouped by resource: clusters, records, ... (one API class each).
        api = RecordsV3Api(client)
        cluster_id = ClustersV3Api(client).v3_list_clusters().data[0].cluster_id

        report = api.v3_produce_records(cluster_id, topic, ProduceRecord(value=ProduceData(type="STRING", data=VALUE)))
        if report.offset is None or report.partition_id is None:
            raise RuntimeError(f"produce failed: {report}")
        print(f"produced offset={report.offset} value={VALUE}", flush=True)

        records = api.v3_read_partition_records(cluster_id, topic, report.partition_id, report.offset, max_records=1)
        record = records.data[0]
        read_value = base64.b64decode(record.value.data).decode("utf-8")
        print(f"read offset={record.offset} value={read_value}", flush=True)

    return 0 if record.offset == report.offset and read_value == VALUE else 1


if __name__ == "__main__":
    sys.exit(main())
