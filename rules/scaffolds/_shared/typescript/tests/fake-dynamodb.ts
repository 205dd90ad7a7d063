// In-memory stand-in for the DynamoDB calls the handlers make (tests only; no AWS SDK, no network).
// It evaluates the subset of the expression language the handlers use: conditions with
// attribute_exists/attribute_not_exists, contains, = <> < <= > >=, IN, AND, OR, NOT, parentheses; updates with
// SET (values, if_not_exists, +/-), REMOVE and ADD (numbers and sets). Anything else throws, so a test notices.
// A write whose ConditionExpression does not hold throws ConditionalCheckFailedException, as DynamoDB does,
// so a handler whose idempotency condition is broken fails its tests. FakeDocumentTable is the same table
// seen through the document client (DynamoDBDocumentClient: plain values instead of AttributeValues).
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;
type Names = Record<string, string> | undefined;
type Values = Record<string, AttributeValue> | undefined;

export interface Call { op: string; input: any }

export class ConditionalCheckFailed extends Error {
  constructor() {
    super('The conditional request failed');
    this.name = 'ConditionalCheckFailedException';
  }
}

export class FakeDynamoDB {
  readonly tables = new Map<string, Map<string, Item>>();
  readonly calls: Call[] = [];
  /** Make the next call of this operation throw (e.g. a throttling error). */
  failNext: Record<string, Error> = {};

  constructor(private readonly keySchema: Record<string, string[]>) {}

  items(table: string): Item[] {
    return [...(this.tables.get(table)?.values() ?? [])].map(clone);
  }

  seed(table: string, item: Item): void {
    this.table(table).set(this.keyOf(table, item), clone(item));
  }

  async putItem(input: any): Promise<Record<string, never>> {
    this.record('putItem', input);
    const t = this.table(input.TableName);
    const k = this.keyOf(input.TableName, input.Item);
    this.check(input, t.get(k));
    t.set(k, clone(input.Item));
    return {};
  }

  async getItem(input: any): Promise<{ Item?: Item }> {
    this.record('getItem', input);
    const item = this.table(input.TableName).get(this.keyOf(input.TableName, input.Key));
    return item ? { Item: clone(item) } : {};
  }

  async deleteItem(input: any): Promise<Record<string, never>> {
    this.record('deleteItem', input);
    const t = this.table(input.TableName);
    const k = this.keyOf(input.TableName, input.Key);
    this.check(input, t.get(k));
    t.delete(k);
    return {};
  }

  async updateItem(input: any): Promise<{ Attributes?: Item }> {
    this.record('updateItem', input);
    const t = this.table(input.TableName);
    const k = this.keyOf(input.TableName, input.Key);
    const before = t.get(k);
    this.check(input, before);
    const item: Item = before ? clone(before) : clone(input.Key);
    applyUpdate(input.UpdateExpression, item, input.ExpressionAttributeNames, input.ExpressionAttributeValues);
    t.set(k, item);
    return input.ReturnValues === 'ALL_NEW' ? { Attributes: clone(item) } : {};
  }

  private record(op: string, input: any): void {
    this.calls.push({ op, input: clone(input) });
    const err = this.failNext[op];
    if (err) {
      delete this.failNext[op];
      throw err;
    }
  }

  private check(input: any, item: Item | undefined): void {
    if (input.ConditionExpression &&
        !evalCondition(input.ConditionExpression, item ?? {}, input.ExpressionAttributeNames, input.ExpressionAttributeValues)) {
      throw new ConditionalCheckFailed();
    }
  }

  private table(name: string): Map<string, Item> {
    if (!this.keySchema[name]) throw new Error(`FakeDynamoDB: unknown table ${name}`);
    let t = this.tables.get(name);
    if (!t) this.tables.set(name, (t = new Map()));
    return t;
  }

  private keyOf(table: string, item: Item): string {
    return this.keySchema[table].map((a) => {
      if (!item[a]) throw new Error(`FakeDynamoDB: key attribute ${a} missing`);
      return JSON.stringify(item[a]);
    }).join('|');
  }
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}

// ---- expressions -------------------------------------------------------------------------------------
function tokenize(expr: string): string[] {
  const re = /\s*(<>|<=|>=|[=<>(),+-]|[#:]?[A-Za-z_][A-Za-z0-9_.]*)/y;
  const out: string[] = [];
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < expr.length) {
    if (/^\s*$/.test(expr.slice(re.lastIndex))) break;
    m = re.exec(expr);
    if (!m) throw new Error(`FakeDynamoDB: cannot parse "${expr}" at ${re.lastIndex}`);
    out.push(m[1]);
  }
  return out;
}

function resolveName(tok: string, names: Names): string {
  if (tok.startsWith('#')) {
    const n = names?.[tok];
    if (!n) throw new Error(`FakeDynamoDB: undefined name ${tok}`);
    return n;
  }
  return tok;
}

function resolveValue(tok: string, values: Values): AttributeValue {
  const v = values?.[tok];
  if (!v) throw new Error(`FakeDynamoDB: undefined value ${tok}`);
  return v;
}

function compare(a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined {
  if (!a || !b) return undefined;
  if ('N' in a && 'N' in b) return Number(a.N) - Number(b.N);
  if ('S' in a && 'S' in b) return (a.S as string) < (b.S as string) ? -1 : (a.S as string) > (b.S as string) ? 1 : 0;
  return JSON.stringify(a) === JSON.stringify(b) ? 0 : undefined;
}

function contains(container: AttributeValue | undefined, wanted: AttributeValue | undefined): boolean {
  if (!container || !wanted) return false;
  if ('S' in container && 'S' in wanted) return (container.S as string).includes(wanted.S as string);
  if ('SS' in container && 'S' in wanted) return (container.SS as string[]).includes(wanted.S as string);
  if ('NS' in container && 'N' in wanted) return (container.NS as string[]).some((n) => Number(n) === Number(wanted.N));
  if ('L' in container) return (container.L as AttributeValue[]).some((v) => compare(v, wanted) === 0);
  return false;
}

function evalCondition(expr: string, item: Item, names: Names, values: Values): boolean {
  const toks = tokenize(expr);
  let i = 0;
  const peek = () => toks[i];
  const next = () => toks[i++];
  const expect = (t: string) => {
    if (next() !== t) throw new Error(`FakeDynamoDB: expected ${t} in "${expr}"`);
  };
  const operand = (): AttributeValue | undefined => {
    const t = next();
    return t.startsWith(':') ? resolveValue(t, values) : item[resolveName(t, names)];
  };
  const primary = (): boolean => {
    const t = peek();
    if (t === '(') {
      next();
      const v = or();
      expect(')');
      return v;
    }
    if (t === 'contains') {
      next();
      expect('(');
      const container = item[resolveName(next(), names)];
      expect(',');
      const wanted = operand();
      expect(')');
      return contains(container, wanted);
    }
    if (t === 'attribute_exists' || t === 'attribute_not_exists') {
      next();
      expect('(');
      const name = resolveName(next(), names);
      expect(')');
      return t === 'attribute_exists' ? name in item : !(name in item);
    }
    const left = operand();
    const op = next();
    if (op === 'IN') {
      expect('(');
      let hit = false;
      for (;;) {
        if (compare(left, operand()) === 0) hit = true;
        const sep = next();
        if (sep === ')') break;
        if (sep !== ',') throw new Error(`FakeDynamoDB: bad IN list in "${expr}"`);
      }
      return hit;
    }
    const c = compare(left, operand());
    switch (op) {
      case '=': return c === 0;
      case '<>': return c !== 0;
      case '<': return c !== undefined && c < 0;
      case '<=': return c !== undefined && c <= 0;
      case '>': return c !== undefined && c > 0;
      case '>=': return c !== undefined && c >= 0;
      default: throw new Error(`FakeDynamoDB: unsupported operator ${op} in "${expr}"`);
    }
  };
  const not = (): boolean => {
    if (peek() === 'NOT') {
      next();
      return !not();
    }
    return primary();
  };
  const and = (): boolean => {
    let v = not();
    while (peek() === 'AND') {
      next();
      const r = not();
      v = v && r;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (peek() === 'OR') {
      next();
      const r = and();
      v = v || r;
    }
    return v;
  };
  const result = or();
  if (i !== toks.length) throw new Error(`FakeDynamoDB: trailing tokens in "${expr}"`);
  return result;
}

function applyUpdate(expr: string, item: Item, names: Names, values: Values): void {
  const toks = tokenize(expr);
  let i = 0;
  let clause = '';
  const value = (): AttributeValue => {
    const t = toks[i++];
    let v: AttributeValue;
    if (t === 'if_not_exists') {
      if (toks[i++] !== '(') throw new Error('FakeDynamoDB: bad if_not_exists');
      const name = resolveName(toks[i++], names);
      if (toks[i++] !== ',') throw new Error('FakeDynamoDB: bad if_not_exists');
      const dflt = resolveValue(toks[i++], values);
      if (toks[i++] !== ')') throw new Error('FakeDynamoDB: bad if_not_exists');
      v = item[name] ?? dflt;
    } else if (t.startsWith(':')) {
      v = resolveValue(t, values);
    } else {
      const existing = item[resolveName(t, names)];
      if (!existing) throw new Error(`FakeDynamoDB: ${t} does not exist`);
      v = existing;
    }
    if (toks[i] === '+' || toks[i] === '-') {
      const op = toks[i++];
      const r = value();
      const n = Number((v as { N: string }).N) + (op === '+' ? 1 : -1) * Number((r as { N: string }).N);
      v = { N: String(n) };
    }
    return v;
  };
  while (i < toks.length) {
    const t = toks[i];
    if (t === 'SET' || t === 'REMOVE' || t === 'ADD') {
      clause = t;
      i++;
      continue;
    }
    if (t === ',') {
      i++;
      continue;
    }
    const name = resolveName(toks[i++], names);
    if (clause === 'SET') {
      if (toks[i++] !== '=') throw new Error(`FakeDynamoDB: expected = in "${expr}"`);
      item[name] = clone(value());
    } else if (clause === 'REMOVE') {
      delete item[name];
    } else if (clause === 'ADD') {
      const add = resolveValue(toks[i++], values);
      const existing = item[name];
      if ('N' in add) {
        if (existing && !('N' in existing)) throw new Error(`FakeDynamoDB: ADD of a number to ${name}, which is not one`);
        item[name] = { N: String(Number(existing?.N ?? 0) + Number(add.N)) };
      } else if ('SS' in add || 'NS' in add) {
        const kind = 'SS' in add ? 'SS' : 'NS';
        const before = ((existing as Record<string, string[]> | undefined)?.[kind]) ?? [];
        if (existing && !(kind in existing)) throw new Error(`FakeDynamoDB: ADD of a set to ${name}, which is not one`);
        const added = (add as Record<string, string[]>)[kind];
        item[name] = { [kind]: [...before, ...added.filter((v) => !before.includes(v))] } as AttributeValue;
      } else {
        throw new Error(`FakeDynamoDB: ADD takes a number or a set, not ${JSON.stringify(add)}`);
      }
    } else {
      throw new Error(`FakeDynamoDB: unsupported update "${expr}"`);
    }
  }
}

// ---- the document client's view ----------------------------------------------------------------------
/** A plain value as DynamoDB stores it (what the document client's marshalling does). */
export function toAttribute(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value instanceof Set) {
    const members = [...value];
    if (members.every((m) => typeof m === 'number')) return { NS: members.map(String) };
    if (members.every((m) => typeof m === 'string')) return { SS: members as string[] };
    throw new Error('FakeDocumentTable: a set holds only numbers or only strings');
  }
  if (Array.isArray(value)) return { L: value.map(toAttribute) };
  if (typeof value === 'object') return { M: toItem(value as Record<string, unknown>) };
  throw new Error(`FakeDocumentTable: cannot store ${typeof value}`);
}

/** A stored value as the document client returns it. */
export function fromAttribute(value: AttributeValue): unknown {
  if ('S' in value) return value.S;
  if ('N' in value) return Number(value.N);
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('SS' in value) return new Set(value.SS);
  if ('NS' in value) return new Set((value.NS as string[]).map(Number));
  if ('L' in value) return (value.L as AttributeValue[]).map(fromAttribute);
  if ('M' in value) return fromItem(value.M as Item);
  throw new Error(`FakeDocumentTable: unsupported value ${JSON.stringify(value)}`);
}

export function toItem(item: Record<string, unknown>): Item {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toAttribute(v)]));
}

export function fromItem(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, fromAttribute(v)]));
}

function toValues(values: Record<string, unknown> | undefined): Values {
  return values === undefined ? undefined : toItem(values);
}

/** A table's items by their key (the key attributes' values joined by '|'), as a test seeds and reads them. */
export class ItemsByKey {
  constructor(private readonly table: FakeDocumentTable) {}

  get(id: string): Record<string, unknown> | undefined {
    return this.table.items().find((item) => this.table.idOf(item) === id);
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** Stores the item as it is (no condition), replacing the one with its key. */
  set(_id: string, item: Record<string, unknown>): void {
    this.table.seed(item);
  }

  get size(): number {
    return this.table.items().length;
  }

  values(): Record<string, unknown>[] {
    return this.table.items();
  }
}

/**
 * One table of a FakeDynamoDB through the document client's inputs (PutCommand, GetCommand, UpdateCommand,
 * DeleteCommand of @aws-sdk/lib-dynamodb: plain values). Conditions are evaluated, not mirrored: a write
 * whose ConditionExpression fails throws ConditionalCheckFailedException.
 */
export class FakeDocumentTable {
  readonly db: FakeDynamoDB;

  /** The items by key ("batchId|sk" for a two-part key), for a test to seed and read. */
  readonly byKey = new ItemsByKey(this);

  constructor(readonly tableName: string, private readonly keyAttributes: string[]) {
    this.db = new FakeDynamoDB({ [tableName]: keyAttributes });
  }

  idOf(item: Record<string, unknown>): string {
    return this.keyAttributes.map((attribute) => String(item[attribute])).join('|');
  }

  /** Every item, as plain values. */
  items(): Record<string, unknown>[] {
    return this.db.items(this.tableName).map(fromItem);
  }

  seed(item: Record<string, unknown>): void {
    this.db.seed(this.tableName, toItem(item));
  }

  async put(input: { Item: Record<string, unknown>; ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> }): Promise<void> {
    await this.db.putItem({ ...input, TableName: this.tableName, Item: toItem(input.Item), ExpressionAttributeValues: toValues(input.ExpressionAttributeValues) });
  }

  async get(input: { Key: Record<string, unknown> }): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.db.getItem({ TableName: this.tableName, Key: toItem(input.Key) });
    return Item ? fromItem(Item) : undefined;
  }

  /** UpdateItem; returns the item after the update (ReturnValues ALL_NEW). */
  async update(input: { Key: Record<string, unknown>; UpdateExpression: string; ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> }): Promise<Record<string, unknown>> {
    const { Attributes } = await this.db.updateItem({
      ...input, TableName: this.tableName, Key: toItem(input.Key), ExpressionAttributeValues: toValues(input.ExpressionAttributeValues), ReturnValues: 'ALL_NEW',
    });
    return fromItem(Attributes ?? {});
  }

  async delete(input: { Key: Record<string, unknown>; ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> }): Promise<void> {
    await this.db.deleteItem({ ...input, TableName: this.tableName, Key: toItem(input.Key), ExpressionAttributeValues: toValues(input.ExpressionAttributeValues) });
  }
}
