/**
 * The embedded engine is PostgreSQL in single-user mode: its one session's user is the bootstrap
 * superuser, and the service's connections run inside it as a lesser role (SET ROLE). PostgreSQL
 * lets a session whose session user is a superuser change role again, so the statements that do
 * (SET ROLE, SET SESSION AUTHORIZATION, RESET ROLE or ALL, DISCARD ALL, set_config) are refused
 * here, before they reach the engine. The other ways round (DO blocks, functions, set_config
 * inside a string that a function executes) are closed by privileges (see roles.ts).
 *
 * A small SQL lexer, not a parser: it skips comments, strings, dollar quotes and quoted
 * identifiers (so a victim named "Set Role" in a parameter or literal is no statement), splits on
 * semicolons, and looks at the words that begin each statement.
 */

type Token =
  | { kind: 'word'; text: string } // unquoted identifier or keyword, lower-cased
  | { kind: 'ident'; text: string } // "quoted identifier", as written
  | { kind: 'string'; text: string }
  | { kind: 'punct'; text: string };

class Refused extends Error {}

function lex(sql: string): Token[][] {
  const statements: Token[][] = [[]];
  const push = (t: Token): void => {
    if (t.kind === 'punct' && t.text === ';') statements.push([]);
    else statements[statements.length - 1].push(t);
  };
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        const pair = sql.slice(i, i + 2);
        if (pair === '/*') depth++;
        else if (pair === '*/') depth--;
        i += pair === '/*' || pair === '*/' ? 2 : 1;
      }
    } else if ((c === 'u' || c === 'U') && sql[i + 1] === '&' && /['"]/.test(sql[i + 2] ?? '')) {
      // Unicode escapes could spell ROLE without the letters: nothing here writes them.
      throw new Refused('Unicode-escaped (U&) strings and identifiers');
    } else if (c === "'" || ((c === 'e' || c === 'E') && sql[i + 1] === "'")) {
      const escapes = c !== "'";
      i += escapes ? 2 : 1;
      let text = '';
      while (i < n) {
        if (escapes && sql[i] === '\\') {
          text += sql[i + 1] ?? '';
          i += 2;
        } else if (sql[i] === "'" && sql[i + 1] === "'") {
          text += "'";
          i += 2;
        } else if (sql[i] === "'") {
          i++;
          break;
        } else text += sql[i++];
      }
      push({ kind: 'string', text });
    } else if (c === '"') {
      i++;
      let text = '';
      while (i < n) {
        if (sql[i] === '"' && sql[i + 1] === '"') {
          text += '"';
          i += 2;
        } else if (sql[i] === '"') {
          i++;
          break;
        } else text += sql[i++];
      }
      push({ kind: 'ident', text });
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        const stop = end < 0 ? n : end;
        push({ kind: 'string', text: sql.slice(i + tag[0].length, stop) });
        i = end < 0 ? n : end + tag[0].length;
      } else {
        const param = /^\$\d+/.exec(sql.slice(i));
        push({ kind: 'punct', text: param ? param[0] : '$' });
        i += param ? param[0].length : 1;
      }
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const m = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(sql.slice(i))!;
      push({ kind: 'word', text: m[0].toLowerCase() });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9.eE+-]+/.exec(sql.slice(i))!;
      i += m[0].length;
    } else {
      push({ kind: 'punct', text: c });
      i++;
    }
  }
  return statements.filter((s) => s.length > 0);
}

/** A word or quoted identifier, as PostgreSQL would name it. */
function name(t: Token | undefined): string | null {
  if (!t) return null;
  if (t.kind === 'word') return t.text;
  if (t.kind === 'ident') return t.text;
  return null;
}

const ROLE_SETTINGS = new Set(['role', 'session_authorization']);

function checkStatement(tokens: Token[]): void {
  const first = name(tokens[0]);
  if (first === 'set' || first === 'reset') {
    let k = 1;
    const scope = name(tokens[k]);
    if (scope === 'local' || scope === 'session') k++;
    const setting = name(tokens[k]);
    if (setting && (ROLE_SETTINGS.has(setting) || setting === 'authorization'))
      throw new Refused(`${first.toUpperCase()} ${setting.toUpperCase()}`);
    if (first === 'reset' && setting === 'all') throw new Refused('RESET ALL');
  }
  if (first === 'discard') throw new Refused('DISCARD');
  if (first === 'do') throw new Refused('DO blocks');
  tokens.forEach((t, k) => {
    if (name(t) !== 'set_config') return;
    if (tokens[k + 1]?.text !== '(') return;
    const arg = tokens[k + 2];
    const comma = tokens[k + 3];
    // Only a literal setting name can be checked; and the role is not one to set.
    if (arg?.kind !== 'string' || comma?.text !== ',')
      throw new Refused('set_config with a setting name that is not a literal');
    if (ROLE_SETTINGS.has(arg.text.trim().toLowerCase()))
      throw new Refused(`set_config('${arg.text}')`);
  });
}

/**
 * Why this SQL text may not run on the service's session of the embedded engine, or null when
 * it may.
 */
export function refusedSql(sql: string): string | null {
  try {
    for (const statement of lex(sql)) checkStatement(statement);
    return null;
  } catch (e) {
    if (e instanceof Refused) return e.message;
    throw e;
  }
}

// The frontend protocol messages that carry SQL text: Query ('Q': the text) and Parse ('P': a
// statement name, the text, parameter types).
const QUERY = 0x51;
const PARSE = 0x50;

function cstring(buf: Buffer, at: number): { text: string; end: number } {
  const end = buf.indexOf(0, at);
  const stop = end < 0 ? buf.length : end;
  return { text: buf.toString('utf8', at, stop), end: stop };
}

function message(type: number, ...parts: Buffer[]): Uint8Array {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head[0] = type;
  head.writeInt32BE(body.length + 4, 1);
  return new Uint8Array(Buffer.concat([head, body]));
}

const z = (s: string): Buffer => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);

/**
 * The message as it should reach the engine: unchanged, or, when it carries refused SQL, the
 * same message carrying a statement that fails in PostgreSQL itself, at parse analysis (a
 * literal that is no integer, spelling the reason), so that the engine answers the error and
 * keeps the protocol's state (the rest of an extended-protocol batch is skipped up to its Sync)
 * exactly as for any failed statement.
 */
export function guardMessage(msg: Uint8Array): Uint8Array {
  const type = msg[0];
  if (type !== QUERY && type !== PARSE) return msg;
  const buf = Buffer.from(msg.buffer, msg.byteOffset, msg.byteLength);
  let statementName = '';
  let sql: string;
  if (type === QUERY) sql = cstring(buf, 5).text;
  else {
    const s = cstring(buf, 5);
    statementName = s.text;
    sql = cstring(buf, s.end + 1).text;
  }
  const why = refusedSql(sql);
  if (!why) return msg;
  const reason = `${REFUSED_PREFIX}${why}`;
  const failing = `SELECT '${reason.replace(/'/g, "''")}'::integer`;
  if (type === QUERY) return message(QUERY, z(failing));
  return message(PARSE, z(statementName), z(failing), Buffer.alloc(2));
}

/** How a refused statement's error begins (the engine reports it as an invalid integer). */
export const REFUSED_PREFIX =
  "refused on the embedded engine's service connection, whose role may not change: ";
