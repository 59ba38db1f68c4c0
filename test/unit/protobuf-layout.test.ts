import { describe, expect, it } from 'vitest';
import { indexesOf, MAP_ENTRY, messageAt, protoLayout } from '../../src/core/schemas/protobuf-layout.js';

describe("protoc's numbering of messages (what message indexes refer to)", () => {
  it('counts a map field as a nested type where it is declared, so a message after it has the next index', () => {
    const layout = protoLayout(`
      syntax = "proto3";
      package shop.v1;
      message Order {
        message Before { string a = 1; }
        map<string, int64> quantities = 2;
        message After { string b = 1; }
      }
      message Second { map<int32, string> m = 1; }`);
    expect(layout.nested.get('shop.v1.Order')).toEqual(['shop.v1.Order.Before', MAP_ENTRY, 'shop.v1.Order.After']);
    expect(indexesOf(layout, 'shop.v1.Order.After')).toEqual([0, 2]);
    expect(indexesOf(layout, 'shop.v1.Second')).toEqual([1]);
    expect(messageAt(layout, [0, 0])).toBe('shop.v1.Order.Before');
    expect(messageAt(layout, [0, 1])).toBeUndefined(); // a map entry is never a record's type
    expect(messageAt(layout, [0, 2])).toBe('shop.v1.Order.After');
    expect(messageAt(layout, [5])).toBeUndefined();
  });

  it('ignores comments, strings, enums, oneofs, options and fields named like keywords', () => {
    const layout = protoLayout(`
      // message Fake { }
      /* message AlsoFake { map<string,string> x = 1; } */
      message A {
        option (my.opt) = { name: "message X {" };
        string message = 1;
        string map = 2;
        enum E { V = 0; }
        oneof choice { string s = 3; int32 i = 4; }
        message B { }
      }`);
    expect(layout.nested.get('')).toEqual(['A']);
    expect(layout.nested.get('A')).toEqual(['A.B']);
  });

  it('counts proto2 groups, which are nested types too', () => {
    const layout = protoLayout('syntax = "proto2"; message A { optional group Result = 1 { optional string url = 2; } message B {} }');
    expect(layout.nested.get('A')).toEqual(['A.Result', 'A.B']);
  });
});
