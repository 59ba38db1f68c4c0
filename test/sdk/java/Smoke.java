import static java.nio.charset.StandardCharsets.UTF_8;

import com.example.kafkarest.client.ApiClient;
import com.example.kafkarest.client.api.ClustersV3Api;
import com.example.kafkarest.client.api.RecordsV3Api;
import com.example.kafkarest.client.model.KafkaRecord;
import com.example.kafkarest.client.model.ProduceData;
import com.example.kafkarest.client.model.ProduceRecord;
import com.example.kafkarest.client.model.ProduceReport;

/**
 * SDK smoke test (Java, native library): with nothing but the generated client, against the proxy at
 * $KAFKA_REST_URL, produces one record to the existing topic $KAFKA_REST_TOPIC and reads it back. Exits 1 when the
 * record read is not the one produced.
 */
public final class Smoke {
  private static final String VALUE = "hello-java";

  private static String requiredEnv(String name) {
    String value = System.getenv(name);
    if (value == null || value.isEmpty()) throw new IllegalStateException(name + " is not set");
    return value;
  }

  public static void main(String[] args) throws Exception {
    String topic = requiredEnv("KAFKA_REST_TOPIC");
    ApiClient client = new ApiClient();
    client.updateBaseUri(requiredEnv("KAFKA_REST_URL"));
    // The v3 operations are grouped by resource: clusters, records, ... (one API class each).
    ClustersV3Api clusters = new ClustersV3Api(client);
    RecordsV3Api api = new RecordsV3Api(client);

    String clusterId = clusters.v3ListClusters().getData().get(0).getClusterId();

    ProduceData value = new ProduceData().type(ProduceData.TypeEnum.STRING).data(VALUE);
    ProduceReport report = api.v3ProduceRecords(clusterId, topic, new ProduceRecord().value(value));
    if (report.getOffset() == null || report.getPartitionId() == null) throw new IllegalStateException("produce failed: " + report);
    System.out.println("produced offset=" + report.getOffset() + " value=" + VALUE);

    KafkaRecord record = api.v3ReadPartitionRecords(clusterId, topic, report.getPartitionId(), report.getOffset(), 1, null).getData().get(0);
    // format: byte, so the client has already decoded the base64.
    String readValue = new String(record.getValue().getData(), UTF_8);
    System.out.println("read offset=" + record.getOffset() + " value=" + readValue);

    if (!record.getOffset().equals(report.getOffset()) || !readValue.equals(VALUE)) System.exit(1);
  }
}
