/** What instance placement (instance-placement.ts) needs from Kafka and from the other nodes. */
import type { DirectoryRecord, NodeAddress } from './instance-directory.js';

export interface DirectoryListener {
  /** The next record of the log, in order. */
  apply(record: DirectoryRecord): void;
  /** The log was lost (its topic deleted) and is read again from an empty one: forget what was read. */
  reset(): void;
}

/** The directory's log: one partition of a compacted topic, read from its start by every node. */
export interface DirectoryLogPort {
  /** Reads the log (if it exists yet) up to its current end; then keeps reading until stop(). */
  start(listener: DirectoryListener): Promise<void>;
  /** Resolves once every record written before the call has been applied. */
  catchUp(): Promise<void>;
  /** Appends a record (null value: a tombstone) and resolves with its offset once it has been applied here. */
  write(key: string, value: Buffer | null): Promise<bigint>;
  /** Creates the log if it does not exist yet (before this node's first claim: the node group follows it). */
  ensure(): Promise<void>;
  /** Closes what writing needs until the next write (this node holds nothing). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface MembershipEvents {
  /** The node joined its group again under another member id: its old claims are dead to every other node. */
  rejoined(member: string): void;
  /** The group has not heard from this node for too long: another node may already hold its instances. */
  lost(): void;
}

/** This node's membership of the deployment's node group, and who else is in it. */
export interface MembershipPort {
  /** Joins the group; resolves with this node's member id once it is one (it keeps trying until then, or leave()). */
  join(events: MembershipEvents): Promise<string>;
  /** The member ids the group's coordinator lists now. */
  liveMembers(): Promise<ReadonlySet<string>>;
  /** How long since the group last answered this node (a heartbeat, or a join). */
  silentMs(): number;
  /** Leaves the group (or stops joining it); join() may be called again later. */
  leave(): Promise<void>;
}

/** A consumer instance as `/consumers` lists it. */
export interface InstanceSummary {
  readonly group: string;
  readonly name: string;
  readonly topics: readonly string[];
  readonly assignment: { readonly topic: string; readonly partitions: readonly number[] }[];
}

/** Requests to the other nodes (over their internal URL, signed). */
export interface PeerPort {
  /** The instances the node hosts. */
  instancesOn(node: NodeAddress): Promise<InstanceSummary[]>;
  /** Whether anything answers at the node's URL (false: refused, unreachable, or no answer in a few seconds). */
  reachable(node: NodeAddress): Promise<boolean>;
}
