// The dossier API over real HTTP on 127.0.0.1: a server on an ephemeral port over the test
// province of fixture.hpp, with bearer tokens for a citizen, reception, an officer and a leader.
// Every response the tests read is checked against the OpenAPI document (http/contract.hpp).
#pragma once

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <thread>

#include "fixture.hpp"
#include "http/contract.hpp"
#include "http/http.hpp"
#include "http/test_util.hpp"

namespace tinhso::dossiers::test {

namespace bj = boost::json;
using http::test::Client;
using http::test::Reply;

inline bj::object Json(const Reply& r) {
  boost::system::error_code ec;
  auto v = bj::parse(r.body, ec);
  if (ec || !v.is_object()) return {};
  return v.as_object();
}

// A multipart/form-data body as the web page sends it: the fields as a `json` part, then files.
inline constexpr char kBoundary[] = "tinhso-test-boundary-7f3a9c";

struct FilePart {
  std::string field;  // "files.TP1", or "files" for a result
  std::string name;
  std::string content;
};

inline std::string Multipart(const bj::object& fields, const std::vector<FilePart>& files) {
  std::string body = std::string("--") + kBoundary +
                     "\r\nContent-Disposition: form-data; name=\"json\"\r\n"
                     "Content-Type: application/json\r\n\r\n" +
                     bj::serialize(fields) + "\r\n";
  for (const FilePart& f : files) {
    body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" +
            f.field + "\"; filename=\"" + f.name +
            "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + f.content + "\r\n";
  }
  return body + "--" + kBoundary + "--\r\n";
}

inline const std::string kMultipartHeader =
    std::string("Content-Type: multipart/form-data; boundary=") + kBoundary + "\r\n";

class DossierApiTest : public DossierTest {
 protected:
  void SetUp() override {
    DossierTest::SetUp();
    // The applicant of the submissions in these tests, as her account knows her.
    AddUser(core::ActorKind::kCitizen, "001199012345", 0, {}, "Nguyễn Thị Hồng Nhung");
    AddUser(core::ActorKind::kOfficer, "motcua", centre_, {"reception"});
    AddUser(core::ActorKind::kOfficer, "chuyenvien", justice_, {"officer"});
    AddUser(core::ActorKind::kOfficer, "giamdoc", justice_, {"leader"});
    for (const char* login : {"001199012345", "motcua", "chuyenvien", "giamdoc"}) {
      auto s =
          app_->accounts().Login(login, "mat-khau-du-dai", auth::SessionKind::kBearer, "127.0.0.1");
      ASSERT_TRUE(s.ok()) << login;
      tokens_[login] = s->token;
    }
    http::ServerOptions o;
    o.port = 0;
    o.io_threads = 1;
    o.worker_threads = 2;
    o.upload_dir = (dir_.path() / "uploads").string();
    o.access_log_path = (dir_.path() / "access.log").string();
    o.handle_signals = false;
    o.rate_per_second = 0;
    o.async_handlers = backend() == storage::Backend::kPostgres;  // as `tinhso serve` does
    server_ = std::make_unique<http::Server>(app_->router(), app_->guard(), o);
    auto started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.error().message_en;
    thread_ = std::thread([this] { server_->Run(); });
    http::test::UseContract(std::make_shared<http::test::Contract>(app_->router()));
    undeclared_query_reads_ = http::UndeclaredQueryReads();
  }
  void TearDown() override {
    http::test::UseContract(nullptr);
    EXPECT_EQ(http::UndeclaredQueryReads(), undeclared_query_reads_)
        << "a declared route read a query parameter it does not declare";
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  Reply Call(std::string_view method, const std::string& target, const std::string& who,
             const std::string& body = {}, const std::string& extra = {}) {
    Client c(server_->port());
    std::string headers = extra;
    if (!who.empty()) headers += "Authorization: Bearer " + tokens_[who] + "\r\n";
    if (!body.empty() && extra.find("Content-Type") == std::string::npos) {
      headers += "Content-Type: application/json\r\n";
    }
    return c.Call(method, target, headers, body);
  }

  // A birth registration's fields as the portal sends them (the files go as parts or base64).
  static bj::object BirthRegistrationFields() {
    bj::object o;
    o["procedure_code"] = "1.001193";
    o["locality_code"] = "H55.60.01";
    o["applicant"] = {{"kind", 1},
                      {"name", "Nguyễn Thị Hồng Nhung"},
                      {"id_number", "001199012345"},
                      {"phone", "0912345678"}};
    o["form"] = {{"child_name", "Nguyễn Minh An"}, {"birth_date", "2026-11-01"}};
    return o;
  }

  // POSTs an action with the version last seen; returns the dossier after it.
  bj::object Do(const std::string& who, std::int64_t id, const std::string& action, bj::object body,
                int expect_status = 200) {
    body["version"] = version_;
    auto r = Call("POST", "/api/v1/dossiers/" + std::to_string(id) + "/" + action, who,
                  bj::serialize(body));
    EXPECT_EQ(r.status, expect_status) << action << ": " << r.body;
    auto o = Json(r);
    if (r.status == 200) version_ = o["version"].as_int64();
    return o;
  }

  http::test::TempDir dir_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::int64_t version_ = 0;
  std::uint64_t undeclared_query_reads_ = 0;
};

}  // namespace tinhso::dossiers::test
