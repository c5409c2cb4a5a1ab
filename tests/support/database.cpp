#include "support/database.hpp"

#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>

namespace tinhso::test {

namespace {

namespace fs = std::filesystem;

std::runtime_error Failure(const std::string& what, const Error& e) {
  return std::runtime_error(what + ": " + e.reason + " " + e.detail);
}

std::unique_ptr<storage::Database> OpenOrThrow(const std::string& url) {
  auto db = storage::Open(url);
  if (!db.ok()) {
    throw Failure("cannot open " + url, db.error());
  }
  return std::move(db).value();
}

void MigrateOrThrow(storage::Database& db, std::span<const storage::Migration> migrations) {
  auto migrated = storage::Migrate(db, migrations);
  if (!migrated.ok()) {
    throw Failure("cannot migrate " + db.DisplayUrl(), migrated.error());
  }
}

std::string WithParam(const std::string& url, const std::string& param) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + param;
}

// Forwards to a real database; on destruction hands it to `release`, which closes or
// recycles it.
class ScopedDatabase final : public storage::Database {
 public:
  using Release = std::function<void(std::unique_ptr<storage::Database>)>;
  ScopedDatabase(std::unique_ptr<storage::Database> inner, Release release)
      : inner_(std::move(inner)), release_(std::move(release)) {}
  ~ScopedDatabase() override { release_(std::move(inner_)); }

  Result<std::unique_ptr<storage::Transaction>> Begin(storage::TxKind kind) override {
    return inner_->Begin(kind);
  }
  void ReadAsync(std::string_view sql, storage::Params params,
                 storage::RowsCallback done) override {
    inner_->ReadAsync(sql, std::move(params), std::move(done));
  }
  storage::Backend backend() const override { return inner_->backend(); }
  std::string DisplayUrl() const override { return inner_->DisplayUrl(); }

 private:
  std::unique_ptr<storage::Database> inner_;
  Release release_;
};

// Identifies a migration list by content, so that a list built on the fly is never confused
// with another one that happens to sit at the same address.
std::string Fingerprint(std::span<const storage::Migration> migrations) {
  std::string key;
  for (const storage::Migration& m : migrations) {
    key += std::to_string(m.version) + ":" + std::to_string(std::hash<std::string_view>{}(m.sql)) +
           ";";
  }
  return key;
}

// SQLite: migrating costs a few fsyncs per migration, copying a migrated file costs none, so
// each migration list is migrated once per process into a template file.
fs::path SqliteTemplate(std::span<const storage::Migration> migrations) {
  static std::mutex mu;
  static std::map<std::string, fs::path> templates;
  std::lock_guard lock(mu);
  auto [it, inserted] = templates.try_emplace(Fingerprint(migrations));
  if (inserted) {
    const fs::path path = TempDir() / "template.db";
    try {
      auto db = OpenOrThrow("sqlite:" + path.string() + "?synchronous=off");
      MigrateOrThrow(*db, migrations);
    } catch (...) {
      templates.erase(it);
      throw;
    }
    // Closing the last connection checkpoints the WAL: the file alone is the database.
    it->second = path;
  }
  return it->second;
}

std::unique_ptr<storage::Database> FreshSqlite(std::span<const storage::Migration> migrations) {
  const fs::path dir = TempDir();
  const fs::path path = dir / "test.db";
  fs::copy_file(SqliteTemplate(migrations), path);
  // synchronous=off: the file is thrown away, an fsync per commit would only slow tests down.
  return std::make_unique<ScopedDatabase>(
      OpenOrThrow("sqlite:" + path.string() + "?synchronous=off"),
      [dir](std::unique_ptr<storage::Database> db) {
        db.reset();  // close every connection before the file goes
        std::error_code ec;
        fs::remove_all(dir, ec);
      });
}

std::string RandomSchemaName() {
  static std::mutex mu;
  static std::mt19937_64 random{std::random_device{}()};
  std::lock_guard lock(mu);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name = "t_";
  std::uint64_t bits = random();
  for (int i = 0; i < 16; ++i, bits >>= 4) {
    name += kHex[bits & 15];
  }
  return name;
}

std::string Quote(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

storage::Rows QueryOrThrow(storage::Transaction& tx, const std::string& sql,
                           const storage::Params& params = {}) {
  auto rows = tx.Query(sql, params);
  if (!rows.ok()) {
    throw Failure(sql, rows.error());
  }
  return std::move(rows).value();
}

// Everything in a schema a test could change with DDL, boiled down to one string: a schema
// whose fingerprint is unchanged can be emptied and reused instead of dropped.
constexpr std::string_view kFingerprint = R"(
SELECT md5(
  COALESCE((SELECT string_agg(c.relname::text || '/' || c.relkind::text || '/' || COALESCE((
              SELECT string_agg(a.attname::text || ' ' || a.atttypid::text || ' '
                                || a.attnotnull::text || ' ' || a.atthasdef::text,
                                ',' ORDER BY a.attnum)
              FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), ''),
            ';' ORDER BY c.relname)
            FROM pg_catalog.pg_class c WHERE c.relnamespace = to_regnamespace(:schema)), '')
  || '|' || COALESCE((SELECT string_agg(conname::text || contype::text, ',' ORDER BY conname)
                      FROM pg_catalog.pg_constraint
                      WHERE connamespace = to_regnamespace(:schema)), '')
  || '|' || (SELECT count(*) FROM pg_catalog.pg_trigger t
             JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
             WHERE c.relnamespace = to_regnamespace(:schema) AND NOT t.tgisinternal)::text
  || '|' || (SELECT count(*) FROM pg_catalog.pg_proc
             WHERE pronamespace = to_regnamespace(:schema))::text
  || '|' || (SELECT count(*) FROM pg_catalog.pg_type
             WHERE typnamespace = to_regnamespace(:schema))::text))";

// A freshly migrated schema, as far as a reset must restore it: its catalog fingerprint, the
// rows the migrations inserted and where each sequence stood.
struct SchemaTemplate {
  struct Seed {
    std::string table;
    std::vector<std::string> columns;
    std::vector<storage::Row> rows;
  };
  struct Sequence {
    std::string name;  // unqualified: the template serves every schema made from it
    std::int64_t last_value;
    std::int64_t is_called;
  };
  std::string fingerprint;
  std::vector<std::string> tables;
  std::vector<Seed> seeds;
  std::vector<Sequence> sequences;
};

// PostgreSQL: DDL costs milliseconds per statement, so running all migrations for every test
// would dominate the suite. A schema a test is done with is emptied (if the test did no DDL)
// and handed to the next test that asks for the same migrations. Needs a superuser (the
// throw-away servers are), to switch off foreign-key triggers while emptying; otherwise
// schemas are simply dropped.
class PostgresSchemas {
 public:
  PostgresSchemas() : admin_(OpenOrThrow(WithParam(PostgresUrl(), "pool_size=2"))) {
    auto tx = Begin();
    auto rows =
        QueryOrThrow(*tx, "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user");
    superuser_ = !rows.empty() && rows[0].Int(0) == 1;
  }

  ~PostgresSchemas() {
    for (auto& [key, schemas] : idle_) {
      for (Idle& idle : schemas) {
        idle.db.reset();
        Drop(idle.schema);
      }
    }
  }

  static PostgresSchemas& Get() {
    static PostgresSchemas schemas;
    return schemas;
  }

  std::unique_ptr<storage::Database> Acquire(std::span<const storage::Migration> migrations) {
    const std::string key = Fingerprint(migrations);
    {
      std::lock_guard lock(mu_);
      auto& idle = idle_[key];
      if (!idle.empty()) {
        Idle reused = std::move(idle.back());
        idle.pop_back();
        return Wrap(key, reused.schema, std::move(reused.db));
      }
    }
    const std::string schema = RandomSchemaName();
    RunAdmin("CREATE SCHEMA " + schema);
    try {
      // options=-csearch_path=…: every connection of the pool starts in the test's schema, so
      // unqualified names (all of ours) resolve there.
      auto db = OpenOrThrow(
          WithParam(PostgresUrl(), "options=-csearch_path%3D" + schema + "&pool_size=4"));
      MigrateOrThrow(*db, migrations);
      if (superuser_) {
        std::lock_guard lock(mu_);
        if (!templates_.contains(key)) {
          templates_[key] = Snapshot(schema);
        }
      }
      return Wrap(key, schema, std::move(db));
    } catch (...) {
      Drop(schema);
      throw;
    }
  }

 private:
  struct Idle {
    std::string schema;
    std::unique_ptr<storage::Database> db;
  };

  std::unique_ptr<storage::Transaction> Begin() {
    auto tx = admin_->Begin();
    if (!tx.ok()) {
      throw Failure("admin connection", tx.error());
    }
    return std::move(tx).value();
  }

  void RunAdmin(const std::string& sql) {
    auto tx = Begin();
    auto done = tx->ExecuteScript(sql);
    if (done.ok()) {
      done = tx->Commit();
    }
    if (!done.ok()) {
      throw Failure(sql, done.error());
    }
  }

  void Drop(const std::string& schema) {
    try {
      RunAdmin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (const std::exception& e) {
      std::cerr << "warning: " << e.what() << "\n";  // a leftover schema harms no other test
    }
  }

  std::unique_ptr<storage::Database> Wrap(const std::string& key, const std::string& schema,
                                          std::unique_ptr<storage::Database> db) {
    return std::make_unique<ScopedDatabase>(
        std::move(db), [this, key, schema](std::unique_ptr<storage::Database> inner) {
          Release(key, schema, std::move(inner));
        });
  }

  void Release(const std::string& key, const std::string& schema,
               std::unique_ptr<storage::Database> db) {
    std::shared_ptr<const SchemaTemplate> pristine;
    {
      std::lock_guard lock(mu_);
      if (auto it = templates_.find(key); it != templates_.end()) {
        pristine = it->second;
      }
    }
    bool reset = false;
    try {
      reset = pristine != nullptr && Reset(schema, *pristine);
    } catch (const std::exception& e) {
      std::cerr << "warning: cannot reset test schema " << schema << ": " << e.what() << "\n";
    }
    if (reset) {
      std::lock_guard lock(mu_);
      idle_[key].push_back(Idle{schema, std::move(db)});
      return;
    }
    db.reset();
    Drop(schema);
  }

  std::shared_ptr<const SchemaTemplate> Snapshot(const std::string& schema) {
    auto t = std::make_shared<SchemaTemplate>();
    auto tx = Begin();
    const storage::Params in_schema = {{"schema", schema}};
    t->fingerprint = QueryOrThrow(*tx, std::string(kFingerprint), in_schema)[0].Text(0);
    for (const storage::Row& row :
         QueryOrThrow(*tx,
                      "SELECT relname::text FROM pg_catalog.pg_class "
                      "WHERE relnamespace = to_regnamespace(:schema) AND relkind = 'r' "
                      "ORDER BY relname",
                      in_schema)) {
      const std::string table = row.Text(0);
      t->tables.push_back(table);
      SchemaTemplate::Seed seed{table, {}, {}};
      for (const storage::Row& column :
           QueryOrThrow(*tx,
                        "SELECT attname::text FROM pg_catalog.pg_attribute "
                        "WHERE attrelid = to_regclass(:table) AND attnum > 0 AND NOT attisdropped "
                        "AND attgenerated = '' ORDER BY attnum",
                        {{"table", Quote(schema) + "." + Quote(table)}})) {
        seed.columns.push_back(column.Text(0));
      }
      std::string list;
      for (const std::string& c : seed.columns) {
        list += (list.empty() ? "" : ", ") + Quote(c);
      }
      storage::Rows rows =
          QueryOrThrow(*tx, "SELECT " + list + " FROM " + Quote(schema) + "." + Quote(table));
      if (!rows.empty()) {
        seed.rows = std::move(rows.rows);
        t->seeds.push_back(std::move(seed));
      }
    }
    for (const storage::Row& row :
         QueryOrThrow(*tx,
                      "SELECT relname::text FROM pg_catalog.pg_class "
                      "WHERE relnamespace = to_regnamespace(:schema) AND relkind = 'S'",
                      in_schema)) {
      const std::string name = row.Text(0);
      auto state = QueryOrThrow(
          *tx, "SELECT last_value, is_called FROM " + Quote(schema) + "." + Quote(name));
      t->sequences.push_back({name, state[0].Int(0), state[0].Int(1)});
    }
    return t;
  }

  // Puts `schema` back into its freshly migrated state; false if the test changed its shape.
  bool Reset(const std::string& schema, const SchemaTemplate& pristine) {
    auto tx = Begin();
    const std::string fingerprint =
        QueryOrThrow(*tx, std::string(kFingerprint), {{"schema", schema}})[0].Text(0);
    if (fingerprint != pristine.fingerprint) {
      return false;
    }
    // No foreign-key triggers: tables can be emptied and refilled in any order.
    if (!tx->ExecuteScript("SET LOCAL session_replication_role = replica").ok()) {
      return false;
    }
    for (const std::string& table : pristine.tables) {
      auto deleted = tx->Execute("DELETE FROM " + Quote(schema) + "." + Quote(table));
      if (!deleted.ok()) {
        throw Failure("reset " + schema, deleted.error());
      }
    }
    for (const SchemaTemplate::Seed& seed : pristine.seeds) {
      std::string columns;
      std::string values;
      std::vector<std::string> names;
      for (std::size_t i = 0; i < seed.columns.size(); ++i) {
        names.push_back("c" + std::to_string(i));
        columns += (i == 0 ? "" : ", ") + Quote(seed.columns[i]);
        values += (i == 0 ? ":" : ", :") + names.back();
      }
      const std::string sql = "INSERT INTO " + Quote(schema) + "." + Quote(seed.table) + " (" +
                              columns + ") OVERRIDING SYSTEM VALUE VALUES (" + values + ")";
      for (const storage::Row& row : seed.rows) {
        storage::Params params;
        for (std::size_t i = 0; i < names.size(); ++i) {
          params.push_back({names[i], row.at(i)});
        }
        auto inserted = tx->Execute(sql, params);
        if (!inserted.ok()) {
          throw Failure("reset " + schema, inserted.error());
        }
      }
    }
    for (const SchemaTemplate::Sequence& seq : pristine.sequences) {
      QueryOrThrow(*tx, "SELECT setval(:name, :value, :called)",
                   {{"name", Quote(schema) + "." + Quote(seq.name)},
                    {"value", seq.last_value},
                    {"called", seq.is_called}});
    }
    auto committed = tx->Commit();
    if (!committed.ok()) {
      throw Failure("reset " + schema, committed.error());
    }
    return true;
  }

  std::unique_ptr<storage::Database> admin_;
  bool superuser_ = false;
  std::mutex mu_;
  std::map<std::string, std::vector<Idle>> idle_;                           // guarded by mu_
  std::map<std::string, std::shared_ptr<const SchemaTemplate>> templates_;  // guarded by mu_
};

std::unique_ptr<storage::Database> FreshPostgres(std::span<const storage::Migration> migrations) {
  return PostgresSchemas::Get().Acquire(migrations);
}

}  // namespace

std::unique_ptr<storage::Database> FreshDatabase(storage::Backend backend) {
  return FreshDatabase(backend, storage::EmbeddedMigrations());
}

std::unique_ptr<storage::Database> FreshDatabase(storage::Backend backend,
                                                 std::span<const storage::Migration> migrations) {
  return backend == storage::Backend::kSqlite ? FreshSqlite(migrations) : FreshPostgres(migrations);
}

std::string BackendName(storage::Backend backend) {
  return backend == storage::Backend::kSqlite ? "Sqlite" : "Postgres";
}

std::string BackendParamName(const ::testing::TestParamInfo<storage::Backend>& info) {
  return BackendName(info.param);
}

SharedDatabase::SharedDatabase(storage::Backend backend, const std::filesystem::path& dir) {
  if (backend == storage::Backend::kSqlite) {
    url_ = "sqlite:" + (dir / "shared.db").string();
    return;
  }
  schema_ = RandomSchemaName();
  auto admin = OpenOrThrow(PostgresUrl());
  auto tx = admin->Begin();
  if (!tx.ok() || !(*tx)->ExecuteScript("CREATE SCHEMA " + schema_).ok() || !(*tx)->Commit().ok()) {
    throw std::runtime_error("cannot create schema " + schema_);
  }
  url_ = WithParam(PostgresUrl(), "options=-csearch_path%3D" + schema_);
}

SharedDatabase::~SharedDatabase() {
  if (schema_.empty()) return;
  auto admin = storage::Open(PostgresUrl());
  if (!admin.ok()) return;
  auto tx = (*admin)->Begin();
  if (tx.ok() && (*tx)->ExecuteScript("DROP SCHEMA " + schema_ + " CASCADE").ok()) {
    (void)(*tx)->Commit();
  }
}

}  // namespace tinhso::test
