// cli.test.mjs - black-box tests of the yuanluo command line: version, help, errors,
// settings from flags / environment / INI file and their precedence, init, migrate, serve.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, writeFileSync, statSync, existsSync, rmSync, chmodSync, copyFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, cli, startServer } from './harness.mjs';

let work;	// a scratch folder; also the working directory, so no stray ./yuanluo.ini is read
let key;	// the data key of an initialised pair, made by `yuanluo init` (serve needs one)
let n = 0;
const fresh = (name) => join(work, `${++n}-${name}`);

// The environment without any YUANLUO_* variable, plus extra.
function env(extra = {}) {
  const e = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('YUANLUO_')) e[k] = v;
  return { ...e, ...extra };
}
const run = (args, opts = {}) => cli(args, { cwd: work, env: env(opts.env), timeout: 20000, ...opts.spawn, ...(opts.cwd ? { cwd: opts.cwd } : {}) });

function ini(text) {
  const p = fresh('yuanluo.ini');
  writeFileSync(p, text);
  return p;
}

// Starts `yuanluo serve`, waits for "listening on" (or exit), returns what it saw; always stopped by PID.
async function serveOnce(args, { env: extra = {}, cwd = work, check } = {}) {
  const child = spawn(BIN, ['serve', ...args], { cwd, env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  try {
    const listening = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), 10000);
      child.stderr.on('data', (d) => {
        err += d;
        const m = /listening on http:\/\/([^\s]+):(\d+) \(database (\S+), (\d+) threads/.exec(err);
        if (m) { clearTimeout(timer); resolve({ host: m[1], port: Number(m[2]), db: m[3], threads: Number(m[4]) }); }
      });
      exited.then(() => { clearTimeout(timer); resolve(null); });
    });
    if (listening && check) await check(listening);
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 10000);
    const { code, signal } = await exited;
    clearTimeout(timer);
    return { listening, code, signal, stderr: err, stdout: out };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ }
    }
  }
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'yuanluo-cli-'));
  key = join(work, 'shared.key');
  const r = cli(['init', '--db', join(work, 'shared.db'), '--key-file', key], { cwd: work, env: env(), timeout: 20000 });
  if (r.status !== 0) throw new Error(`yuanluo init failed: ${r.stderr}`);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('version and help', () => {
  test('version prints the version and exits 0', () => {
    const r = run(['version']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^yuanluo \d+\.\d+\.\d+\S*\n$/);
    const r2 = run(['--version']);
    assert.equal(r2.status, 0);
    assert.equal(r2.stdout, r.stdout);
  });

  test('version refuses extra arguments', () => {
    const r = run(['version', 'extra']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /extra/);
    assert.equal(r.stdout, '');
  });

  test('help lists the commands and exits 0', () => {
    for (const args of [['help'], ['--help'], ['-h']]) {
      const r = run(args);
      assert.equal(r.status, 0, `${args}: ${r.stderr}`);
      for (const c of ['serve', 'init', 'migrate', 'version', 'help']) assert.match(r.stdout, new RegExp(`^\\s+${c}\\s`, 'm'), c);
    }
  });

  test('no command at all prints the usage on stderr and exits 2', () => {
    const r = run([]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /usage: yuanluo/);
  });

  test('help serve shows the usage of serve and the settings', () => {
    const r = run(['help', 'serve']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /usage: yuanluo serve/);
    assert.match(r.stdout, /--listen/);
    assert.match(r.stdout, /--threads\s+YUANLUO_THREADS\s+\[server\]\s+threads/);
    assert.match(r.stdout, /--max-body\s+YUANLUO_MAX_BODY\s+\[limits\]\s+max_body/);
    // serve --help is the same, and does not start a server.
    const r2 = run(['serve', '--help']);
    assert.equal(r2.status, 0);
    assert.equal(r2.stdout, r.stdout);
  });

  test('help settings lists every setting', () => {
    const r = run(['help', 'settings']);
    assert.equal(r.status, 0);
    for (const s of ['listen', 'threads', 'web-root', 'db', 'key-file', 'max-body', 'max-header', 'conn-timeout',
      'max-conns', 'max-conns-per-ip', 'session-idle', 'session-lifetime', 'cookie-secure', 'log-level', 'access-log',
      'config']) {
      assert.match(r.stdout, new RegExp(`--${s}\\s`), s);
    }
  });

  test('help for an unknown command exits 2 naming it', () => {
    const r = run(['help', 'frobnicate']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /frobnicate/);
  });
});

describe('usage errors', () => {
  test('an unknown command exits 2 with a message naming it', () => {
    const r = run(['frobnicate']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /'frobnicate' is not a command/);
    assert.match(r.stderr, /yuanluo help/);
    assert.equal(r.stdout, '');
  });

  test('an unknown flag or argument for a command exits 2 naming it', () => {
    const db = fresh('u.db');
    for (const args of [['serve', '--bogus'], ['migrate', '--bogus'], ['init', '--bogus'], ['version', '--bogus'],
      ['serve', 'extra'], ['migrate', 'extra']]) {
      const r = run([...args, '--db', db, '--key-file', fresh('u.key'), '--listen', '127.0.0.1:0']);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(args[1]), args.join(' '));
      assert.match(r.stderr, new RegExp(args[0]), args.join(' '));
    }
    assert.ok(!existsSync(db), 'a refused command did not create the database');
  });
});

describe('settings', () => {
  test('bad flag values exit non-zero naming the flag', () => {
    const cases = [
      [['--threads', '0'], /--threads/], [['--threads=abc'], /--threads/], [['--threads', '257'], /--threads/],
      [['--max-body', '10'], /--max-body/], [['--max-header', 'lots'], /--max-header/],
      [['--log-level', 'loud'], /--log-level/], [['--access-log', 'maybe'], /--access-log/],
      [['--listen', ''], /--listen/], [['--conn-timeout', '-1'], /--conn-timeout/],
      [['--threads'], /--threads/],
    ];
    for (const [flags, re] of cases) {
      const r = run(['migrate', '--db', fresh('f.db'), ...flags]);
      assert.notEqual(r.status, 0, flags.join(' '));
      assert.match(r.stderr, re, flags.join(' '));
    }
  });

  test('a bad value makes serve exit non-zero without listening', async () => {
    const r = await serveOnce(['--db', fresh('s.db'), '--key-file', key, '--listen', '127.0.0.1:0', '--threads', '0']);
    assert.equal(r.listening, null);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /--threads/);
  });

  test('bad environment values exit non-zero naming the variable', () => {
    for (const [name, value] of [['YUANLUO_THREADS', '0'], ['YUANLUO_ACCESS_LOG', 'maybe'], ['YUANLUO_MAX_BODY', 'big'],
      ['YUANLUO_LOG_LEVEL', 'chatty']]) {
      const r = run(['migrate', '--db', fresh('e.db')], { env: { [name]: value } });
      assert.notEqual(r.status, 0, name);
      assert.match(r.stderr, new RegExp(name), name);
      assert.match(r.stderr, new RegExp(value), name);
    }
  });

  test('bad INI values and lines exit non-zero naming file:line', () => {
    const cases = [
      ['# settings\n[server]\nthreads = 999\n', 3, /threads/],
      ['[server]\nlisten = 127.0.0.1:0\n\n[limits]\nmax_body = 5\n', 5, /max_body|max-body/],
      ['[log]\naccess_log = perhaps\n', 2, /access_log|access-log/],
      ['[server]\ncolour = blue\n', 2, /colour/],
      ['[server]\nthreads = 2\nthreads = 3\n', 3, /threads/],
      ['[server\nthreads = 2\n', 1, /section/],
      ['[server]\njust some words\n', 2, /key = value|expected/],
      ['threads = 2\n', 1, /threads/],
    ];
    for (const [text, line, re] of cases) {
      const file = ini(text);
      const r = run(['migrate', '--db', fresh('i.db'), '--config', file]);
      assert.notEqual(r.status, 0, text);
      assert.ok(r.stderr.includes(`${file}:${line}`), `expected '${file}:${line}' in: ${r.stderr}`);
      assert.match(r.stderr, re, text);
    }
  });

  test('a missing config file is an error naming it', () => {
    const missing = join(work, 'no-such.ini');
    const r = run(['migrate', '--db', fresh('m.db'), '--config', missing]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /no-such\.ini/);
    const r2 = run(['migrate', '--db', fresh('m.db')], { env: { YUANLUO_CONFIG: missing } });
    assert.notEqual(r2.status, 0);
    assert.match(r2.stderr, /no-such\.ini/);
  });

  test('the first source that sets a value wins: flag, then environment, then INI', () => {
    const file = ini('[server]\nthreads = ini-bad\n');
    // Every source bad: the message names the flag.
    let r = run(['migrate', '--db', fresh('p.db'), '--config', file, '--threads', 'flag-bad'],
      { env: { YUANLUO_THREADS: 'env-bad' } });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--threads/);
    assert.match(r.stderr, /flag-bad/);
    // No flag: the environment.
    r = run(['migrate', '--db', fresh('p.db'), '--config', file], { env: { YUANLUO_THREADS: 'env-bad' } });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /YUANLUO_THREADS/);
    assert.match(r.stderr, /env-bad/);
    // Neither: the file.
    r = run(['migrate', '--db', fresh('p.db'), '--config', file]);
    assert.notEqual(r.status, 0);
    assert.ok(r.stderr.includes(`${file}:2`), r.stderr);
    assert.match(r.stderr, /ini-bad/);
  });

  test('serve takes its settings from INI < environment < flag', async () => {
    const dbs = { ini: fresh('ini.db'), env: fresh('env.db'), flag: fresh('flag.db') };
    const file = ini(`[server]\nlisten = 127.0.0.1:0\nthreads = 3\n\n[database]\ndb = ${dbs.ini}\n\n[security]\nkey_file = ${key}\n`);
    const all = await serveOnce(['--config', file, '--threads', '7', '--db', dbs.flag],
      { env: { YUANLUO_THREADS: '5', YUANLUO_DB: dbs.env } });
    assert.ok(all.listening, all.stderr);
    assert.equal(all.listening.threads, 7);
    assert.equal(all.listening.db, dbs.flag);
    assert.equal(all.code, 0, all.stderr);

    const envOnly = await serveOnce(['--config', file], { env: { YUANLUO_THREADS: '5', YUANLUO_DB: dbs.env } });
    assert.ok(envOnly.listening, envOnly.stderr);
    assert.equal(envOnly.listening.threads, 5);
    assert.equal(envOnly.listening.db, dbs.env);
    assert.equal(envOnly.listening.host, '127.0.0.1', 'listen came from the INI file');

    const iniOnly = await serveOnce([], { env: { YUANLUO_CONFIG: file } });
    assert.ok(iniOnly.listening, iniOnly.stderr);
    assert.equal(iniOnly.listening.threads, 3);
    assert.equal(iniOnly.listening.db, dbs.ini);
    assert.ok(existsSync(dbs.ini) && existsSync(dbs.env) && existsSync(dbs.flag));
  });

  test('./yuanluo.ini in the working directory is read when present', async () => {
    const dir = mkdtempSync(join(work, 'cwd-'));
    writeFileSync(join(dir, 'yuanluo.ini'), '[server]\nlisten = 127.0.0.1:0\nthreads = 6\n[database]\ndb = cwd.db\n');
    copyFileSync(key, join(dir, 'yuanluo.key'));	// the default key file, ./yuanluo.key
    chmodSync(join(dir, 'yuanluo.key'), 0o600);
    const r = await serveOnce([], { cwd: dir });
    assert.ok(r.listening, r.stderr);
    assert.equal(r.listening.threads, 6);
    assert.equal(r.listening.db, 'cwd.db');
    assert.ok(existsSync(join(dir, 'cwd.db')));
  });
});

describe('init', () => {
  test('prints the administrator password once and creates a 0600 key file', () => {
    const db = fresh('init.db');
    const key = fresh('init.key');
    const r = run(['init', '--db', db, '--key-file', key]);
    assert.equal(r.status, 0, r.stderr);
    const pw = /password:\s+(\S+)/.exec(r.stdout);
    assert.ok(pw, r.stdout);
    assert.ok(pw[1].length >= 12, 'a long enough password');
    assert.equal(r.stdout.split(pw[1]).length - 1, 1, 'the password appears once');
    assert.ok(!r.stderr.includes(pw[1]), 'the password is not logged on stderr');
    assert.match(r.stdout, /administrator:\s+admin/);
    const st = statSync(key);
    assert.ok(st.isFile());
    assert.equal(st.mode & 0o777, 0o600);
    assert.equal(st.size, 32);
    assert.ok(existsSync(db));

    // A second init of the same database is refused and prints no password.
    const again = run(['init', '--db', db, '--key-file', key]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already initiali[sz]ed/);
    assert.doesNotMatch(again.stdout, /password/);
    assert.equal(statSync(key).mtimeMs, st.mtimeMs, 'the key file is left alone');
  });

  test('another administrator login can be named', () => {
    const r = run(['init', '--db', fresh('adm.db'), '--key-file', fresh('adm.key'), '--admin', 'zhangsan']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /administrator:\s+zhangsan/);
  });

  test('a refused second init does not create a new key file', () => {
    const db = fresh('twice.db');
    assert.equal(run(['init', '--db', db, '--key-file', fresh('twice.key')]).status, 0);
    const otherKey = fresh('other.key');
    const r = run(['init', '--db', db, '--key-file', otherKey]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /already initiali[sz]ed/);
    assert.ok(!existsSync(otherKey), `init refused the database but still created ${otherKey}`);
  });

  test('a key file readable by others, or of the wrong size, is refused', () => {
    const open = fresh('open.key');
    writeFileSync(open, Buffer.alloc(32, 7));
    chmodSync(open, 0o644);
    let r = run(['init', '--db', fresh('k.db'), '--key-file', open]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /chmod 600|readable by others/);
    assert.doesNotMatch(r.stdout, /password/);
    const short = fresh('short.key');
    writeFileSync(short, 'abc', { mode: 0o600 });
    r = run(['init', '--db', fresh('k.db'), '--key-file', short]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /32-byte|byte/);
  });
});

describe('migrate', () => {
  test('reports the schema version and what it applied', async () => {
    const db = fresh('mig.db');
    const r = run(['migrate', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    const m = /^schema version 0 -> (\d+) \((\d+) migrations? applied\)$/m.exec(r.stdout);
    assert.ok(m, r.stdout);
    const version = Number(m[1]);
    assert.ok(version > 0);
    // Numbers are ranges per area (030-039 enterprises ...), not dense: every file applied, the highest the version.
    const files = readdirSync(new URL('../../src/store/schema/', import.meta.url)).filter((f) => /^\d{3}_.*\.sql$/.test(f)).sort();
    assert.equal(Number(m[2]), files.length);
    assert.equal(version, Number(files[files.length - 1].slice(0, 3)));
    const again = run(['migrate', '--db', db]);
    assert.equal(again.status, 0);
    assert.match(again.stdout, new RegExp(`^schema version ${version} -> ${version} \\(0 migrations applied\\)$`, 'm'));
    // The running server reports the same version.
    const s = await startServer();
    try {
      assert.equal((await s.get('/healthz')).body.schema_version, version);
    } finally {
      await s.stop();
    }
  });

  test('a database path that cannot be opened fails with a message', () => {
    const r = run(['migrate', '--db', join(work, 'no', 'such', 'dir', 'x.db')]);
    assert.notEqual(r.status, 0);
    assert.ok(r.stderr.length > 0);
  });
});

describe('serve', () => {
  test('serves on the address it was given and exits 0 on SIGTERM', async () => {
    const r = await serveOnce(['--db', fresh('srv.db'), '--key-file', key, '--listen', '127.0.0.1:0'], {
      check: async (l) => {
        const res = await fetch(`http://127.0.0.1:${l.port}/healthz`);
        assert.equal(res.status, 200);
      },
    });
    assert.ok(r.listening, r.stderr);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /stopped/);
  });

  test('without the key file made by init, serve refuses to start and says so', async () => {
    const missing = fresh('missing.key');
    const r = await serveOnce(['--db', fresh('nokey.db'), '--key-file', missing, '--listen', '127.0.0.1:0']);
    assert.equal(r.listening, null, 'it must not listen without the data key');
    assert.notEqual(r.code, 0);
    assert.ok(r.stderr.includes(missing), r.stderr);
    assert.match(r.stderr, /init/);
    // A key readable by others is refused as well.
    const open = fresh('open.key');
    copyFileSync(key, open);
    chmodSync(open, 0o644);
    const r2 = await serveOnce(['--db', fresh('openkey.db'), '--key-file', open, '--listen', '127.0.0.1:0']);
    assert.equal(r2.listening, null);
    assert.notEqual(r2.code, 0);
    assert.match(r2.stderr, /chmod 600|readable by others/);
  });

  test('an address in use fails with a clear message and a non-zero exit', async () => {
    const holder = net.createServer();
    await new Promise((r) => holder.listen(0, '127.0.0.1', r));
    const { port } = holder.address();
    try {
      const r = await serveOnce(['--db', fresh('busy.db'), '--key-file', key, '--listen', `127.0.0.1:${port}`]);
      assert.equal(r.listening, null, 'it must not claim to listen');
      assert.notEqual(r.code, 0);
      assert.ok(r.stderr.includes(`127.0.0.1:${port}`), r.stderr);
      assert.match(r.stderr, /in use/);
    } finally {
      holder.close();
    }
  });

  test('a second yuanluo on the same address fails instead of sharing the port', async () => {
    const first = spawn(BIN, ['serve', '--db', fresh('one.db'), '--key-file', key, '--listen', '127.0.0.1:0'],
      { cwd: work, env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
    const firstExit = new Promise((r) => first.once('exit', (code) => r(code)));
    try {
      const port = await new Promise((resolve, reject) => {
        let log = '';
        const timer = setTimeout(() => reject(new Error(`first server did not start: ${log}`)), 10000);
        first.stderr.on('data', (d) => {
          log += d;
          const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
          if (m) { clearTimeout(timer); resolve(Number(m[1])); }
        });
      });
      const second = await serveOnce(['--db', fresh('two.db'), '--key-file', key, '--listen', `127.0.0.1:${port}`]);
      assert.equal(second.listening, null, `a second server also listened on 127.0.0.1:${port}`);
      assert.notEqual(second.code, 0);
      assert.match(second.stderr, /in use/);
    } finally {
      if (first.exitCode === null) process.kill(first.pid, 'SIGTERM');
      assert.equal(await firstExit, 0);
    }
  });

  test('a bad listen address fails with a message', async () => {
    for (const listen of ['nonsense', '127.0.0.1:70000', '999.1.1.1:8080', '127.0.0.1:']) {
      const r = await serveOnce(['--db', fresh('bad.db'), '--key-file', key, '--listen', listen]);
      assert.equal(r.listening, null, listen);
      assert.notEqual(r.code, 0, listen);
      assert.match(r.stderr, /listen/, listen);
    }
  });

  test('the access log can be switched off', async () => {
    const r = await serveOnce(['--db', fresh('quiet.db'), '--key-file', key, '--listen', '127.0.0.1:0', '--access-log', 'off'], {
      check: async (l) => {
        assert.equal((await fetch(`http://127.0.0.1:${l.port}/healthz`)).status, 200);
        await new Promise((res) => setTimeout(res, 200));
      },
    });
    assert.ok(r.listening);
    assert.ok(!r.stderr.split('\n').some((line) => line.startsWith('{')), r.stderr);
  });
});

describe('accounts and the audit log on the command line', () => {
  // Logs in against a running server; { status, body }.
  const login = async (port, login_, password) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: login_, password }),
    });
    return { status: res.status, body: await res.json() };
  };

  test('user add | passwd | disable | enable | list, each audited; audit verify | list', async () => {
    const db = fresh('acc.db');
    const k = fresh('acc.key');
    const common = ['--db', db, '--key-file', k];
    assert.equal(run(['init', ...common]).status, 0);
    const add = run(['user', 'add', 'zhang', '--role', 'auditor', '--name', '张审计', ...common]);
    assert.equal(add.status, 0, add.stderr);
    const pw1 = /password:\s+(\S+)/.exec(add.stdout)?.[1];
    assert.ok(pw1 && pw1.length >= 12, add.stdout);
    assert.equal(add.stdout.split(pw1).length - 1, 1, 'the password is shown once');
    let list = run(['user', 'list', ...common]);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^\d+\s+zhang\s+auditor\s+.*active, must change password$/m);

    const passwd = run(['user', 'passwd', 'zhang', ...common]);
    assert.equal(passwd.status, 0, passwd.stderr);
    const pw2 = /new password for zhang:\s+(\S+)/.exec(passwd.stdout)?.[1];
    assert.ok(pw2 && pw2 !== pw1, passwd.stdout);
    assert.equal(run(['user', 'disable', 'zhang', ...common]).status, 0);
    list = run(['user', 'list', ...common]);
    assert.match(list.stdout, /^\d+\s+zhang\s+auditor\s+.*disabled/m);

    // What the commands did holds for the server.
    const r = await serveOnce([...common, '--listen', '127.0.0.1:0'], {
      check: async (l) => {
        assert.equal((await login(l.port, 'zhang', pw2)).status, 401, 'disabled');
        assert.equal(run(['user', 'enable', 'zhang', ...common]).status, 0);
        assert.equal((await login(l.port, 'zhang', pw1)).status, 401, 'the old password no longer works');
        const ok = await login(l.port, 'zhang', pw2);
        assert.equal(ok.status, 200, JSON.stringify(ok.body));
        assert.equal(ok.body.must_change_password, true);
        assert.equal(ok.body.role, 'auditor');
      },
    });
    assert.ok(r.listening, r.stderr);
    assert.equal(r.code, 0, r.stderr);

    const audit = run(['audit', 'list', ...common]);
    assert.equal(audit.status, 0, audit.stderr);
    for (const action of ['user add', 'user passwd', 'user disable', 'user enable']) {
      assert.match(audit.stdout, new RegExp(`\tcli:[^\t]+\tlocal\t${action}\tusers/\\d+\tsuccess`), action);
    }
    assert.match(audit.stdout, /\tzhang\t[^\n]*\tlogin\t[^\n]*\tfailure/, 'the server recorded the failed logins');
    assert.ok(!audit.stdout.includes(pw1) && !audit.stdout.includes(pw2), 'no password in the audit log');
    const verify = run(['audit', 'verify', ...common]);
    assert.equal(verify.status, 0, verify.stderr);
    assert.match(verify.stdout, /audit log intact: \d+ rows verified/);
  });

  test('account commands refuse bad input with a message and a non-zero exit', () => {
    const db = fresh('bad-acc.db');
    const k = fresh('bad-acc.key');
    const common = ['--db', db, '--key-file', k];
    assert.equal(run(['init', ...common]).status, 0);
    const cases = [
      [['user'], 2, /add, passwd, disable, enable or list/],
      [['user', 'frob'], 2, /frob/],
      [['user', 'add'], 2, /login/],
      [['user', 'add', 'wang'], 2, /--role/],
      [['user', 'add', 'wang', '--role', 'grid_member'], 1, /scope/],
      [['user', 'add', 'wang', '--role', 'grid_member', '--scope', 'no-such-node'], 1, /no-such-node/],
      [['user', 'add', 'wang', '--role', 'emperor'], 1, /role/],
      [['user', 'add', 'admin', '--role', 'auditor'], 1, /taken/],
      [['user', 'passwd', 'nobody'], 1, /nobody/],
      [['user', 'disable', 'nobody'], 1, /nobody/],
      [['audit'], 2, /verify/],
      [['audit', 'erase'], 2, /verify/],
    ];
    for (const [args, status, re] of cases) {
      const r = run([...args, ...common]);
      assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re, args.join(' '));
      assert.doesNotMatch(r.stdout, /password/, args.join(' '));
    }
    // Without the key file nothing that touches accounts runs.
    const nokey = run(['user', 'list', '--db', db, '--key-file', fresh('none.key')]);
    assert.notEqual(nokey.status, 0);
    assert.match(nokey.stderr, /key file/);
  });

  test('routes prints every route with its permission as JSON', () => {
    const r = run(['routes']);
    assert.equal(r.status, 0, r.stderr);
    const routes = JSON.parse(r.stdout);
    assert.ok(Array.isArray(routes) && routes.length > 40);
    for (const x of routes) {
      assert.match(x.method, /^(GET|POST|PUT|PATCH|DELETE)$/);
      assert.match(x.pattern, /^\//);
      assert.ok(typeof x.permission === 'string' && x.permission.length, JSON.stringify(x));
      assert.equal(typeof x.audit, 'boolean');
    }
    const seen = new Set(routes.map((x) => `${x.method} ${x.pattern}`));
    assert.equal(seen.size, routes.length, 'no route twice');
    assert.ok(seen.has('POST /api/v1/auth/login') && seen.has('POST /api/v1/persons/{id}/reveal'));
    assert.equal(run(['routes', 'extra']).status, 2);
  });
});
