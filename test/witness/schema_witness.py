"""
The independent witness of the schema formats: Confluent's Python client (confluent-kafka, its own Schema Registry
serializers and deserializers) reads what the proxy wrote, and writes records for the proxy to read.

    python schema_witness.py read  '{"bootstrap": ..., "registry": ..., "topic": ..., "format": "avro", "count": 2}'
    python schema_witness.py write '{"bootstrap": ..., "registry": ..., "topic": ..., "format": "avro"}'

`format` is avro, json or protobuf; `schema` (protobuf: the .proto text) comes with the arguments too. Prints one
JSON document on stdout: the decoded values (read), or the offsets written (write).

Apicurio Registry answers `?format=serialized` with raw bytes and takes only `.proto` text, where Confluent's
registry speaks base64 FileDescriptorProtos both ways; RegistryClient below does that translation client-side (with
protoc), so everything else — framing, message indexes, payloads — is confluent-kafka's own code.
"""
import base64
import datetime
import decimal
import importlib.util
import json
import os
import sys
import tempfile
import uuid

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import RegisteredSchema, Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from google.protobuf import descriptor_pb2, json_format
from grpc_tools import protoc

PROTO_FILE = "witness_order.proto"


class Proto:
    """The .proto text compiled by protoc: its FileDescriptorProto and its generated message classes."""

    def __init__(self, text):
        self.text = text
        self.dir = tempfile.mkdtemp(prefix="schema-witness-")
        with open(os.path.join(self.dir, PROTO_FILE), "w") as f:
            f.write(text)
        descriptor_set = os.path.join(self.dir, "set.pb")
        args = ["protoc", "-I", self.dir, "--python_out", self.dir, "--descriptor_set_out", descriptor_set, PROTO_FILE]
        if protoc.main(args) != 0:
            raise RuntimeError("protoc failed")
        files = descriptor_pb2.FileDescriptorSet()
        with open(descriptor_set, "rb") as f:
            files.ParseFromString(f.read())
        self.serialized = base64.standard_b64encode(files.file[0].SerializeToString()).decode("ascii")
        spec = importlib.util.spec_from_file_location("witness_order_pb2", os.path.join(self.dir, "witness_order_pb2.py"))
        self.module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.module)


class RegistryClient(SchemaRegistryClient):
    """confluent-kafka's client, translating Protobuf schemas between Confluent's serialized form and .proto text."""

    def __init__(self, conf, proto):
        super().__init__(conf)
        self.proto = proto

    def _serialized(self, schema):
        if schema.schema_type != "PROTOBUF" or self.proto is None:
            return schema
        return Schema(self.proto.serialized, "PROTOBUF", schema.references)

    def _as_text(self, schema):
        if schema.schema_type != "PROTOBUF" or self.proto is None:
            return schema
        return Schema(self.proto.text, "PROTOBUF", schema.references)

    def get_schema(self, schema_id, subject_name=None, fmt=None, reference_format=None):
        schema = super().get_schema(schema_id, subject_name, None, reference_format)
        return self._serialized(schema) if fmt == "serialized" else schema

    def get_latest_version(self, subject_name, fmt=None):
        registered = super().get_latest_version(subject_name, None)
        if fmt != "serialized":
            return registered
        return RegisteredSchema(schema_id=registered.schema_id, guid=registered.guid, schema=self._serialized(registered.schema), subject=registered.subject, version=registered.version)

    def register_schema_full_response(self, subject_name, schema, normalize_schemas=False):
        return super().register_schema_full_response(subject_name, self._as_text(schema), normalize_schemas)

    def lookup_schema(self, subject_name, schema, normalize_schemas=False, deleted=False):
        return super().lookup_schema(subject_name, self._as_text(schema), normalize_schemas, deleted)


def plain(value):
    """A decoded value as JSON: decimals and UUIDs as strings, datetimes in ISO-8601, bytes in base64."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.standard_b64encode(value).decode("ascii")
    if hasattr(value, "DESCRIPTOR"):
        return json_format.MessageToDict(value)
    return value


def deserializer(args, registry, proto):
    if args["format"] == "avro":
        return AvroDeserializer(registry)
    if args["format"] == "json":
        return JSONDeserializer(None, schema_registry_client=registry)
    return ProtobufDeserializer(proto.module.Order, {}, registry)


def read(args, registry, proto):
    consumer = Consumer({
        "bootstrap.servers": args["bootstrap"],
        "group.id": "schema-witness-" + uuid.uuid4().hex,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })
    consumer.subscribe([args["topic"]])
    decode = deserializer(args, registry, proto)
    values = []
    try:
        for _ in range(60):
            if len(values) >= args["count"]:
                break
            message = consumer.poll(1.0)
            if message is None:
                continue
            if message.error():
                raise RuntimeError(str(message.error()))
            context = SerializationContext(message.topic(), MessageField.VALUE)
            values.append(plain(decode(message.value(), context)))
    finally:
        consumer.close()
    return values


AVRO_RECORD = {
    "name": "Grace",
    "email": None,
    "balance": decimal.Decimal("1.50"),
    "created": datetime.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.timezone.utc),
    "id": uuid.UUID("0b5c8f7e-1d2a-4f3b-8c9d-0e1f2a3b4c5d"),
    "tags": {"ops": 3},
    "address": {"city": "Paris"},
}
JSON_RECORD = {"id": 8, "items": ["plum"], "note": "from python"}


def records_to_write(args, registry, proto):
    """(serializer, value) pairs; for protobuf an Order, then an Order.Line: a message nested after a map field."""
    if args["format"] == "avro":
        return [(AvroSerializer(registry, args["schema"]), AVRO_RECORD)]
    if args["format"] == "json":
        return [(JSONSerializer(args["schema"], registry), JSON_RECORD)]
    order = proto.module.Order(order_id="py-1", quantities={"kiwi": 5}, status=proto.module.Order.PAID, token=b"\x01")
    order.lines.add(sku="kiwi", count=5)
    line = proto.module.Order.Line(sku="solo", count=1)
    return [(ProtobufSerializer(proto.module.Order, registry), order), (ProtobufSerializer(proto.module.Order.Line, registry), line)]


def write(args, registry, proto):
    producer = Producer({"bootstrap.servers": args["bootstrap"], "acks": "all"})
    delivered = []

    def report(error, message):
        if error is not None:
            raise RuntimeError(str(error))
        delivered.append(message.offset())

    for serialize, value in records_to_write(args, registry, proto):
        payload = serialize(value, SerializationContext(args["topic"], MessageField.VALUE))
        producer.produce(args["topic"], value=payload, on_delivery=report)
        producer.flush(30)
    return delivered


def main():
    command, args = sys.argv[1], json.loads(sys.argv[2])
    proto = Proto(args["schema"]) if args["format"] == "protobuf" else None
    registry = RegistryClient({"url": args["registry"]}, proto)
    result = read(args, registry, proto) if command == "read" else write(args, registry, proto)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
