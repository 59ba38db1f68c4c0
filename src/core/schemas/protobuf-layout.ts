/**
 * The positions protoc gives the messages of a `.proto` file, which Confluent's message indexes refer to.
 *
 * protoc numbers a message's nested types in source order, and every `map<…>` field adds a synthetic nested
 * `…Entry` type where it is declared — so a message declared after a map field has one more index than its place
 * among the declared messages. protobufjs keeps neither that order nor map entries, so the order is read here from
 * the text itself: comments and string literals removed, then only the block structure is followed.
 */

/** A map field's synthetic entry type: it takes an index but can never be a record's type. */
export const MAP_ENTRY = null;

export interface ProtoLayout {
  /** The nested types of each message by full name (`''`: the file's top-level messages), in protoc's order. */
  readonly nested: ReadonlyMap<string, readonly (string | typeof MAP_ENTRY)[]>;
}

const COMMENTS_AND_STRINGS = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g;
const TOKENS = /\.?[A-Za-z_][\w.]*|\d[\w.]*|[{}<>;=,()[\]]/g;
const IDENTIFIER = /^[A-Za-z_]\w*$/;

function tokensOf(source: string): string[] {
  return source.replace(COMMENTS_AND_STRINGS, (match) => (match.startsWith('/') ? ' ' : ' "" ')).match(TOKENS) ?? [];
}

/** The message a `{` at `i` opens (`message Name {` or a proto2 `group Name = N {`), if it opens one. */
function messageOpenedAt(tokens: readonly string[], i: number): string | undefined {
  if (tokens[i - 2] === 'message' && IDENTIFIER.test(tokens[i - 1] ?? '')) return tokens[i - 1];
  if (tokens[i - 4] === 'group' && tokens[i - 2] === '=' && IDENTIFIER.test(tokens[i - 3] ?? '')) return tokens[i - 3];
  return undefined;
}

export function protoLayout(source: string): ProtoLayout {
  const tokens = tokensOf(source);
  const nested = new Map<string, (string | typeof MAP_ENTRY)[]>([['', []]]);
  // One entry per open brace: the full name of the message it opened, or undefined for any other block.
  const blocks: (string | undefined)[] = [];
  let pkg = '';
  const currentMessage = (): string | undefined => (blocks.length === 0 ? '' : blocks[blocks.length - 1]);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === 'package' && blocks.length === 0) pkg = tokens[i + 1] ?? '';
    else if (token === '{') {
      const name = messageOpenedAt(tokens, i);
      const parent = currentMessage();
      if (name === undefined || parent === undefined) {
        blocks.push(undefined);
        continue;
      }
      const fullName = parent === '' ? (pkg === '' ? name : `${pkg}.${name}`) : `${parent}.${name}`;
      nested.get(parent)!.push(fullName);
      nested.set(fullName, []);
      blocks.push(fullName);
    } else if (token === '}') blocks.pop();
    else if (token === 'map' && tokens[i + 1] === '<') {
      const message = currentMessage();
      if (message) nested.get(message)!.push(MAP_ENTRY);
    }
  }
  return { nested };
}

/** The message indexes of a message, by its full name; undefined when the file declares no such message. */
export function indexesOf(layout: ProtoLayout, fullName: string): number[] | undefined {
  const search = (parent: string, path: number[]): number[] | undefined => {
    const children = layout.nested.get(parent) ?? [];
    for (const [index, child] of children.entries()) {
      if (child === fullName) return [...path, index];
      const found = child === MAP_ENTRY ? undefined : search(child, [...path, index]);
      if (found) return found;
    }
    return undefined;
  };
  return search('', []);
}

/** The full name of the message that message indexes designate; undefined when they designate none. */
export function messageAt(layout: ProtoLayout, indexes: readonly number[]): string | undefined {
  let current = '';
  for (const index of indexes) {
    const child = layout.nested.get(current)?.[index];
    if (child === undefined || child === MAP_ENTRY) return undefined;
    current = child;
  }
  return current === '' ? undefined : current;
}
