// End to end over real HTTP on 127.0.0.1, on SQLite and PostgreSQL: a citizen submits online,
// the provincial centre receives it (receipt PDF), it is transferred to Sở Tư pháp, a supplement
// is requested and given, the result is issued and returned, and the citizen rates it.
#include "api_fixture.hpp"
#include "core/crypto.hpp"
#include "support/sample_images.hpp"

namespace tinhso::dossiers::test {
namespace {

// Integers are range-checked as the 64-bit values they arrive as: narrowed to int first,
// 4294967298 (2^32 + 2) was taken as rating 2 and 4294967297 as applicant kind 1 or limit 1.
TEST_P(DossierApiTest, IntegersAreCheckedBeforeTheyAreNarrowed) {
  bj::object submit;
  submit["procedure_code"] = "2.001417";
  submit["applicant"] = {
      {"kind", 4294967297}, {"name", "Nguyễn Thị Hồng Nhung"}, {"id_number", "001199012345"}};
  submit["form"] = {{"purpose", "Xin việc"}};
  submit["files"] = bj::array{{{"component", "TP1"},
                               {"name", "to-khai.pdf"},
                               {"content_base64", core::Base64Encode(Pdf())}}};
  auto wrapped_kind = Call("POST", "/api/v1/dossiers", "001199012345", bj::serialize(submit));
  EXPECT_EQ(wrapped_kind.status, 400) << wrapped_kind.body;
  EXPECT_NE(
      Json(wrapped_kind)["error"].as_object()["message_en"].as_string().find("applicant.kind"),
      std::string::npos)
      << wrapped_kind.body;
  submit["applicant"].as_object()["kind"] = 1;
  auto created = Call("POST", "/api/v1/dossiers", "001199012345", bj::serialize(submit));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t id = Json(created)["id"].as_int64();
  version_ = Json(created)["version"].as_int64();
  Do("motcua", id, "accept", {});
  Do("giamdoc", id, "issue_result", {});
  Do("motcua", id, "return", {{"return_method", "online"}});

  auto wrapped = Do("001199012345", id, "rate", {{"rating", 4294967298}}, 400);
  EXPECT_EQ(wrapped["error"].as_object()["code"], "request.invalid_field");
  EXPECT_NE(wrapped["error"].as_object()["message"].as_string().find("'rating'"), std::string::npos)
      << bj::serialize(wrapped);
  EXPECT_TRUE(Json(Call("GET", "/api/v1/dossiers/" + std::to_string(id), "001199012345"))
                  .at("rating")
                  .is_null());
  Do("001199012345", id, "rate", {{"rating", 0}}, 400);
  EXPECT_EQ(Do("001199012345", id, "rate", {{"rating", 2}})["rating"], 2);

  auto limit = Call("GET", "/api/v1/dossiers?limit=4294967297", "giamdoc");
  EXPECT_EQ(limit.status, 400) << limit.body;
  auto offset = Call("GET", "/api/v1/dossiers?offset=4294967296", "giamdoc");
  EXPECT_EQ(offset.status, 400) << offset.body;
}

TEST_P(DossierApiTest, FromOnlineSubmissionToRating) {
  clock_.Set(At("2026-11-23T08:30"));
  bj::object submit;
  submit["procedure_code"] = "2.001417";
  submit["applicant"] = {{"kind", 1},
                         {"name", "Nguyễn Thị Hồng Nhung"},
                         {"id_number", "001199012345"},
                         {"phone", "0912345678"}};
  submit["form"] = {{"purpose", "Bổ sung hồ sơ xin việc"}};
  submit["files"] = bj::array{{{"component", "TP1"},
                               {"name", "to-khai.pdf"},
                               {"content_base64", core::Base64Encode(Pdf())}}};
  const std::string key = "Idempotency-Key: 3f1c-lan-1\r\n";
  auto created = Call("POST", "/api/v1/dossiers", "001199012345", bj::serialize(submit), key);
  ASSERT_EQ(created.status, 201) << created.body;
  auto dossier = Json(created);
  const std::int64_t id = dossier["id"].as_int64();
  version_ = dossier["version"].as_int64();
  EXPECT_EQ(dossier["status"].as_int64(), 1);
  // A retried submission (the answer was lost) returns the same dossier.
  auto retried = Call("POST", "/api/v1/dossiers", "001199012345", bj::serialize(submit), key);
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(Json(retried)["id"].as_int64(), id);

  // Reception at the provincial centre at 08:40; the receipt is a PDF.
  clock_.Set(At("2026-11-23T08:40"));
  auto accepted = Do("motcua", id, "accept", {});
  const std::string code(accepted["code"].as_string());
  const std::string secret(
      Json(Call("GET", "/api/v1/dossiers/" + std::to_string(id), "motcua"))["lookup_secret"]
          .as_string());
  EXPECT_EQ(accepted["current_agency_id"].as_int64(), justice_);  // transferred to Sở Tư pháp
  EXPECT_EQ(accepted["due_at"].as_string(), "2026-12-07T10:00:00Z");  // 17:00 local
  auto receipt = Call("GET", "/api/v1/dossiers/" + std::to_string(id) + "/forms/receipt", "motcua");
  ASSERT_EQ(receipt.status, 200) << receipt.body;
  EXPECT_EQ(receipt.Header("content-type"), "application/pdf");
  EXPECT_TRUE(receipt.body.starts_with("%PDF-"));
  // The applicant's PDF downloads by default and shows in the browser with ?inline=1.
  const std::string files = "/api/v1/dossiers/" + std::to_string(id) + "/files";
  const bj::object listed = Json(Call("GET", files, "motcua"));
  ASSERT_FALSE(listed.at("items").as_array().empty()) << bj::serialize(listed);
  const std::string file =
      files + "/" + std::to_string(listed.at("items").as_array()[0].at("id").as_int64());
  EXPECT_EQ(Call("GET", file, "motcua").Header("content-disposition"), "attachment");
  auto shown = Call("GET", file + "?inline=1", "motcua");
  EXPECT_EQ(shown.Header("content-disposition"), "inline");
  EXPECT_EQ(shown.Header("content-type"), "application/pdf");
  // The reception desk's queues no longer hold it: it went on to Sở Tư pháp.
  const bj::object queues = Json(Call("GET", "/api/v1/dossiers/queues", "chuyenvien"));
  ASSERT_EQ(queues.at("queues").as_array().size(), 7u) << bj::serialize(queues);
  EXPECT_EQ(queues.at("queues").as_array()[2].at("key"), "processing");
  EXPECT_EQ(queues.at("queues").as_array()[2].at("count"), 1);
  EXPECT_EQ(Call("GET", "/api/v1/dossiers/queues", "001199012345").status, 403);

  // A stale version is a 409 and changes nothing.
  auto stale = Call("POST", "/api/v1/dossiers/" + std::to_string(id) + "/forward", "chuyenvien",
                    R"({"version":1})");
  EXPECT_EQ(stale.status, 409) << stale.body;
  // Malformed JSON is a 400 with the one error shape.
  auto malformed = Call("POST", "/api/v1/dossiers/" + std::to_string(id) + "/forward", "chuyenvien",
                        "{\"version\":");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_TRUE(Json(malformed).contains("error"));

  // Sở Tư pháp asks for a supplement on Tuesday; the citizen sends it on Wednesday.
  clock_.Set(At("2026-11-24T10:00"));
  Do("chuyenvien", id, "request_supplement", {{"items", bj::array{"Bản sao CCCD"}}});
  clock_.Set(At("2026-11-25T09:00"));
  bj::object give;
  give["files"] = bj::array{{{"component", "TP1"},
                             {"name", "cccd.pdf"},
                             {"content_base64", core::Base64Encode(Pdf("c"))}}};
  auto resumed = Do("001199012345", id, "supplement", give);
  EXPECT_EQ(resumed["status"].as_int64(), 4);
  EXPECT_EQ(resumed["due_at"].as_string(), "2026-12-09T10:00:00Z");  // restarted: 10 days

  // Processed, signed and returned well before the appointment.
  clock_.Set(At("2026-11-27T10:00"));
  Do("chuyenvien", id, "forward", {});
  clock_.Set(At("2026-11-30T14:00"));
  auto resolved = Do("giamdoc", id, "issue_result", {});
  EXPECT_EQ(resolved["status"].as_int64(), 9);
  EXPECT_EQ(resolved["current_agency_id"].as_int64(), centre_);
  clock_.Set(At("2026-12-01T08:00"));
  auto returned = Do("motcua", id, "return", {{"return_method", "online"}});
  EXPECT_EQ(returned["status"].as_int64(), 10);
  EXPECT_EQ(returned["timeliness"].as_string(), "early");
  auto rated = Do("001199012345", id, "rate", {{"rating", 3}, {"note", "Nhanh"}});
  EXPECT_EQ(rated["rating"].as_int64(), 3);
  Do("001199012345", id, "rate", {{"rating", 1}}, 422);  // once only

  // The timeline, in order, with who did what.
  auto events = Json(Call("GET", "/api/v1/dossiers/" + std::to_string(id) + "/events", "giamdoc"));
  std::vector<std::string> actions;
  for (const auto& e : events["items"].as_array()) {
    actions.emplace_back(e.as_object().at("action").as_string());
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{"submit", "accept", "request_supplement", "supplement",
                                      "forward", "issue_result", "return", "rate"}));
  // The public lookup shows the status and timeline to the receipt holder only.
  auto lookup = Call("GET", "/api/v1/lookup?code=" + code + "&secret=" + secret, "");
  ASSERT_EQ(lookup.status, 200) << lookup.body;
  EXPECT_EQ(Json(lookup)["status"].as_int64(), 10);
  EXPECT_EQ(Json(lookup)["events"].as_array().size(), 8u);
  EXPECT_EQ(Call("GET", "/api/v1/lookup?code=" + code + "&secret=XXXXXX", "").status, 404);
  // The list endpoint pages and filters.
  auto list = Json(Call("GET", "/api/v1/dossiers?status=10&limit=5", "giamdoc"));
  EXPECT_EQ(list["total"].as_int64(), 1);
  // Statistics for the leader of Sở Tư pháp.
  auto stats = Call("GET", "/api/v1/statistics/dossiers?from=2026-11-01&to=2026-12-31", "giamdoc");
  ASSERT_EQ(stats.status, 200) << stats.body;
  EXPECT_EQ(Json(stats)["total"].as_object()["done_early"].as_int64(), 1) << stats.body;
}

// Files are the public's bytes (issue 15): whatever they hold, a browser must never run them as a
// page of this site. A download and a picture shown in a tab are sandboxed and never sniffed; only
// a PDF shown in a tab goes without the sandbox, which would blank the browser's PDF viewer.
TEST_P(DossierApiTest, DownloadedFilesAreSandboxedAndNeverSniffed) {
  bj::object submit;
  submit["procedure_code"] = "1.001193";
  submit["locality_code"] = "H55.60.01";
  submit["applicant"] = {{"kind", 1},
                         {"name", "Nguyễn Thị Hồng Nhung"},
                         {"id_number", "001199012345"},
                         {"phone", "0912345678"}};
  submit["form"] = {{"child_name", "Nguyễn Minh An"}, {"birth_date", "2026-11-01"}};
  submit["files"] = bj::array{{{"component", "TP1"},
                               {"name", "to-khai.pdf"},
                               {"content_base64", core::Base64Encode(Pdf())}},
                              {{"component", "TP2"},
                               {"name", "anh.png"},
                               {"content_base64", core::Base64Encode(tinhso::test::SealPng(64))}}};
  auto created = Call("POST", "/api/v1/dossiers", "001199012345", bj::serialize(submit));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string files =
      "/api/v1/dossiers/" + std::to_string(Json(created)["id"].as_int64()) + "/files";
  const bj::object listed = Json(Call("GET", files, "001199012345"));
  ASSERT_EQ(listed.at("items").as_array().size(), 2u) << bj::serialize(listed);
  for (const auto& item : listed.at("items").as_array()) {
    const bj::object& f = item.as_object();
    const std::string type(f.at("content_type").as_string());
    const std::string file = files + "/" + std::to_string(f.at("id").as_int64());
    SCOPED_TRACE(type);
    const Reply download = Call("GET", file, "001199012345");
    ASSERT_EQ(download.status, 200) << download.body;
    EXPECT_EQ(download.Header("content-type"), type);
    EXPECT_EQ(download.Header("content-disposition"), "attachment");
    EXPECT_EQ(download.Header("content-security-policy"), "sandbox");
    EXPECT_EQ(download.Header("x-content-type-options"), "nosniff");
    const Reply shown = Call("GET", file + "?inline=1", "001199012345");
    ASSERT_EQ(shown.status, 200) << shown.body;
    EXPECT_EQ(shown.Header("content-disposition"), "inline");
    EXPECT_EQ(shown.Header("x-content-type-options"), "nosniff");
    EXPECT_EQ(shown.Header("content-security-policy"), type == "image/png" ? "sandbox" : "");
  }
}

// Over HTTP: the citizen cannot pass off another person's CCCD as hers; marked "on_behalf" she
// submits for him, and the dossier shows both of them.
TEST_P(DossierApiTest, SubmittingForSomeoneElseIsExplicitAndShowsBothIdentities) {
  bj::object submit;
  submit["procedure_code"] = "2.001417";
  submit["applicant"] = {{"kind", 1}, {"name", "Lê Văn Cường"}, {"id_number", "019190000001"}};
  submit["form"] = {{"purpose", "Xin việc"}};
  submit["files"] = bj::array{{{"component", "TP1"},
                               {"name", "to-khai.pdf"},
                               {"content_base64", core::Base64Encode(Pdf())}}};
  auto refused = Call("POST", "/api/v1/dossiers", "001199012345", bj::serialize(submit));
  ASSERT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(Json(refused)["error"].at("code").as_string(), "dossier.applicant_not_account");

  submit["on_behalf"] = true;
  auto created = Call("POST", "/api/v1/dossiers", "001199012345", bj::serialize(submit));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t id = Json(created)["id"].as_int64();
  auto shown = Json(Call("GET", "/api/v1/dossiers/" + std::to_string(id), "motcua"));
  EXPECT_EQ(shown["on_behalf"], true);
  EXPECT_EQ(shown["applicant"].at("id_number"), "019190000001");
  EXPECT_EQ(shown["applicant"].at("name"), "Lê Văn Cường");
  EXPECT_EQ(shown["submitter"].at("id_number"), "001199012345");
  EXPECT_EQ(shown["submitter"].at("name"), "Nguyễn Thị Hồng Nhung");
  auto events = Json(Call("GET", "/api/v1/dossiers/" + std::to_string(id) + "/events", "motcua"));
  ASSERT_FALSE(events["items"].as_array().empty());
  const std::string content(events["items"].as_array()[0].at("content").as_string());
  EXPECT_NE(content.find("Nộp thay cho Lê Văn Cường"), std::string::npos) << content;
}

// The routes' queries are the declared types of dossiers/api.hpp: the document lists each
// parameter with its values and default, the values it lists work, and any other is a 400 naming
// the parameter. Uploads take the declared body as JSON or as the form's `json` part.
TEST_P(DossierApiTest, QueriesAndBodiesAreTheDeclaredTypes) {
  const bj::value doc = bj::parse(Call("GET", "/api/openapi.json", "").body);
  const auto& list = doc.at("paths").at("/api/v1/dossiers").at("get").at("parameters").as_array();
  std::map<std::string, bj::value> params;
  for (const auto& p : list) params[std::string(p.at("name").as_string())] = p.at("schema");
  EXPECT_EQ(params["sort"].at("default"), "-submitted_at");
  EXPECT_EQ(params["limit"].at("default"), 50);
  EXPECT_EQ(params["limit"].at("minimum"), 1);
  EXPECT_EQ(params["limit"].at("maximum"), 500);
  for (const char* limit : {"0", "501"}) {
    auto refused = Call("GET", std::string("/api/v1/dossiers?limit=") + limit, "giamdoc");
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_EQ(Json(refused)["error"].as_object()["message_en"],
              "Query parameter 'limit' is invalid: expected an integer from 1 to 500.");
  }
  // The statistics' period is required: the document says so, and a request without it is
  // refused naming the parameter.
  for (const auto& p :
       doc.at("paths").at("/api/v1/statistics/dossiers").at("get").at("parameters").as_array()) {
    const std::string name(p.at("name").as_string());
    EXPECT_EQ(p.at("required").as_bool(), name == "from" || name == "to") << name;
  }
  auto no_to = Call("GET", "/api/v1/statistics/dossiers?from=2026-01-01", "giamdoc");
  EXPECT_EQ(no_to.status, 400) << no_to.body;
  EXPECT_EQ(Json(no_to)["error"].as_object()["message_en"], "Query parameter 'to' is required.");
  EXPECT_EQ(params["queue"].at("enum").as_array().size(), std::size(kQueues));
  EXPECT_TRUE(params.contains("received_from") && params.contains("competent_agency_id"));
  const auto& submit = doc.at("paths").at("/api/v1/dossiers").at("post").at("requestBody");
  EXPECT_EQ(submit.at("content").at("multipart/form-data").at("schema").at("properties").at("json"),
            (bj::object{{"$ref", "#/components/schemas/DossierSubmission"}}));

  bj::object submission;
  submission["procedure_code"] = "2.001417";
  submission["applicant"] = {{"name", "Nguyễn Thị Hồng Nhung"}, {"id_number", "001199012345"}};
  submission["form"] = {{"purpose", "Xin việc"}};
  submission["files"] = bj::array{{{"component", "TP1"},
                                   {"name", "to-khai.pdf"},
                                   {"content_base64", core::Base64Encode(Pdf())}}};
  auto created = Call("POST", "/api/v1/dossiers", "001199012345", bj::serialize(submission));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Json(created)["applicant"].at("kind"), 1) << "the default kind";
  auto listed =
      Call("GET", "/api/v1/dossiers?status=1,2&channel=online&sort=-due_at&limit=10", "motcua");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(Json(listed)["total"], 1) << listed.body;
  auto book = Call("GET", "/api/v1/dossiers/tracking-book?from=2026-01-01&to=2026-12-31", "motcua");
  ASSERT_EQ(book.status, 200) << book.body;
  EXPECT_EQ(book.Header("content-type"), "application/pdf");
  auto total = Call(
      "GET", "/api/v1/statistics/dossiers?from=2026-01-01&to=2027-01-01&group_by=total", "motcua");
  EXPECT_EQ(total.status, 200) << total.body;

  const std::pair<std::string, std::string> kRefused[] = {
      {"/api/v1/dossiers?status=1,11", "status"},
      {"/api/v1/dossiers?sort=colour", "sort"},
      {"/api/v1/dossiers?channel=fax", "channel"},
      {"/api/v1/dossiers?queue=nowhere", "queue"},
      {"/api/v1/dossiers?outcome=soon", "outcome"},
      {"/api/v1/dossiers?received_from=yesterday", "received_from"},
      {"/api/v1/dossiers?overdue=maybe", "overdue"},
      {"/api/v1/statistics/dossiers?from=2026-01-01&to=2027-01-01&group_by=week", "group_by"},
      {"/api/v1/dossiers/tracking-book?from=2026-01-01", "to"},
      // On PostgreSQL the lookup's async handler parses its query itself.
      {"/api/v1/lookup?code=" + std::string(65, 'H') + "&secret=ABC", "code"},
  };
  for (const auto& [target, name] : kRefused) {
    auto r = Call("GET", target, target.starts_with("/api/v1/lookup") ? "" : "motcua");
    EXPECT_EQ(r.status, 400) << target << ": " << r.body;
    const bj::object error = Json(r)["error"].as_object();
    EXPECT_EQ(error.at("code"), "request.invalid_query") << target;
    EXPECT_NE(std::string(error.at("message_en").as_string()).find("'" + name + "'"),
              std::string::npos)
        << target << ": " << r.body;
  }
}

TINHSO_INSTANTIATE_BACKENDS(DossierApiTest);

}  // namespace
}  // namespace tinhso::dossiers::test
