// The typed declarations (http/api.hpp): one struct gives the schema, the parsing and the
// rendering; a declared route documents its parameters, body and answers, and its handler gets
// what was declared and nothing else.
#include "http/api.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "http/contract.hpp"

namespace tinhso::http {

enum class Colour { kRed, kDarkBlue };
BOOST_DESCRIBE_ENUM(Colour, kRed, kDarkBlue)

struct Point {
  std::int64_t x = 0;
  std::int64_t y = 0;
};
TINHSO_API_STRUCT(Point, (x, y))

struct PointView {
  std::int64_t x = 0;
};
TINHSO_API_STRUCT(PointView, (x))

struct Shape {
  Text<5> name;
  std::optional<Text<10>> note;
  Colour colour = Colour::kRed;
  Date day;
  std::vector<Point> points;
  std::optional<Point> centre;
  std::optional<bool> filled;
  int sides = 0;
};
TINHSO_API_STRUCT(Shape, (name, note, colour, day, points, centre, filled, sides))
[[maybe_unused]] constexpr std::string_view ApiSchemaDescription(const Shape*) {
  return "centre: only for a circle";
}

struct Event {
  Timestamp at;
  Nullable<Timestamp> closed_at;
  std::optional<std::string> note;
};
TINHSO_API_STRUCT(Event, (at, closed_at, note))

struct ShapeQuery {
  std::optional<Text<20>> q;
  Colour colour = Colour::kDarkBlue;
  std::int64_t limit = 50;
  bool open = false;
  std::optional<Date> since;
};
TINHSO_API_STRUCT(ShapeQuery, (q, colour, limit, open, since))

// Page bounds, a required date, a bounded rating in a body.
struct PageQuery {
  Date from;  // no default: required
  PageLimit limit = 50;
  PageOffset offset = 0;
  std::optional<Text<20>> q;
};
TINHSO_API_STRUCT(PageQuery, (from, limit, offset, q))

struct Rating {
  std::optional<Bounded<int, 1, 3>> rating;
};
TINHSO_API_STRUCT(Rating, (rating))

// A partner's answer, for errors too.
struct PartnerReply {
  std::string code;
  std::optional<std::string> signature;
};
TINHSO_API_STRUCT(PartnerReply, (code, signature))

namespace {

namespace bj = boost::json;

bj::value SchemaOf(const TypeDecl& decl, SchemaSet& set) {
  bj::object out;
  decl.schema(set, out);
  return out;
}

TEST(ApiSchema, ComesFromTheDescription) {
  SchemaSet set;
  EXPECT_EQ(SchemaOf(JsonBody<Shape>(), set),
            bj::parse(R"({"$ref":"#/components/schemas/Shape"})"));
  const bj::value& shape = set.schemas().at("Shape");
  EXPECT_EQ(shape.at("description"), "centre: only for a circle");
  EXPECT_FALSE(set.schemas().at("Point").as_object().contains("description"));
  EXPECT_EQ(shape.at("required"), bj::parse(R"(["name","colour","day","points","sides"])"));
  const auto& p = shape.at("properties");
  EXPECT_EQ(p.at("name"), bj::parse(R"({"type":"string","maxLength":5})"));
  EXPECT_EQ(p.at("note"), bj::parse(R"({"type":"string","maxLength":10,"nullable":true})"));
  EXPECT_EQ(p.at("colour"), bj::parse(R"({"type":"string","enum":["red","dark_blue"]})"));
  EXPECT_EQ(p.at("day"), bj::parse(R"({"type":"string","format":"date"})"));
  EXPECT_EQ(p.at("points"),
            bj::parse(R"({"type":"array","items":{"$ref":"#/components/schemas/Point"}})"));
  EXPECT_EQ(p.at("centre"),
            bj::parse(R"({"allOf":[{"$ref":"#/components/schemas/Point"}],"nullable":true})"));
  EXPECT_EQ(p.at("sides"), bj::parse(R"({"type":"integer","format":"int32"})"));
  EXPECT_EQ(set.schemas().at("Point").at("properties").at("x"),
            bj::parse(R"({"type":"integer","format":"int64"})"));
}

// One page type for every list: its schema is named after the item's ("View" dropped), one
// component per item type.
TEST(ApiSchema, PagesAreNamedAfterTheirItems) {
  SchemaSet set;
  EXPECT_EQ(SchemaOf(Returns<Page<Point>>().type, set),
            bj::parse(R"({"$ref":"#/components/schemas/PointPage"})"));
  const bj::value& page = set.schemas().at("PointPage");
  EXPECT_EQ(page.at("required"), bj::parse(R"(["items","total","limit","offset"])"));
  EXPECT_EQ(page.at("properties").at("items"),
            bj::parse(R"({"type":"array","items":{"$ref":"#/components/schemas/Point"}})"));
  SchemaSet views;
  EXPECT_EQ(SchemaOf(Returns<Page<PointView>>().type, views),
            bj::parse(R"({"$ref":"#/components/schemas/PointPage"})"));
  EXPECT_EQ(views.schemas().at("PointPage").at("properties").at("items").at("items"),
            bj::parse(R"({"$ref":"#/components/schemas/PointView"})"));

  Page<Point> two{.items = {{1, 2}, {3, 4}}, .total = 7, .limit = 2, .offset = 4};
  EXPECT_EQ(bj::parse(Render(two)),
            bj::parse(R"({"items":[{"x":1,"y":2},{"x":3,"y":4}],"total":7,"limit":2,"offset":4})"));
  struct Listed {
    std::vector<int> items;
    std::int64_t total = 9;
    int limit = 3;
    int offset = 6;
  };
  const Page<Point> made = PageOf(Listed{.items = {5, 6}}, [](int v) { return Point{v, -v}; });
  EXPECT_EQ(
      bj::parse(Render(made)),
      bj::parse(R"({"items":[{"x":5,"y":-5},{"x":6,"y":-6}],"total":9,"limit":3,"offset":6})"));
}

// A document left open says it may have any members: generators (openapi-typescript) read a
// bare "object" as one without members, so no client could send or read one.
TEST(ApiSchema, OpenObjectsSayAnyMembers) {
  SchemaSet set;
  EXPECT_EQ(SchemaOf(Returns<bj::object>().type, set),
            bj::parse(R"({"type":"object","additionalProperties":true})"));
}

TEST(ApiParse, ReadsWithTheJsonHelpersErrors) {
  auto ok = ParseJson<Shape>(
      R"({"name":"Tre\u0300","colour":"dark_blue","day":"2026-02-28","points":[{"x":1,"y":2}],
          "filled":null,"sides":3,"extra":"ignored"})");
  ASSERT_TRUE(ok.ok()) << ok.error().message_en;
  EXPECT_EQ(ok->name.value, "Trè") << "NFC";
  EXPECT_EQ(ok->colour, Colour::kDarkBlue);
  EXPECT_EQ(ok->day, Date(std::chrono::year(2026) / 2 / 28));
  ASSERT_EQ(ok->points.size(), 1u);
  EXPECT_EQ(ok->points[0].y, 2);
  EXPECT_FALSE(ok->filled.has_value());
  EXPECT_FALSE(ok->note.has_value());

  struct Case {
    std::string body;
    std::string message_vi;
    std::string message_en;
  };
  const std::string kBase = R"("colour":"red","day":"2026-01-01","points":[],"sides":1)";
  const Case kCases[] = {
      {R"({"name":"abcdef",)" + kBase + "}", "Trường 'name' dài quá 5 ký tự.",
       "Field 'name' is longer than 5 characters."},
      {R"({"name":"  ",)" + kBase + "}", "Trường 'name' là bắt buộc.", "Field 'name' is required."},
      {"{" + kBase + "}", "Trường 'name' là bắt buộc.", "Field 'name' is required."},
      {R"({"name":5,)" + kBase + "}", "Trường 'name' phải là chuỗi ký tự.",
       "Field 'name' must be a string."},
      {R"({"name":"a","colour":"green","day":"2026-01-01","points":[],"sides":1})",
       "Trường 'colour' phải là một trong: red, dark_blue.",
       "Field 'colour' must be one of: red, dark_blue."},
      {R"({"name":"a","colour":"red","day":"2026-02-30","points":[],"sides":1})",
       "Trường 'day' phải là ngày có thật, viết dạng YYYY-MM-DD.",
       "Field 'day' must be a real date written YYYY-MM-DD."},
      {R"({"name":"a","colour":"red","day":"2026-01-01","points":[{"x":1}],"sides":1})",
       "Trường 'points[0].y' là bắt buộc.", "Field 'points[0].y' is required."},
      {R"({"name":"a","colour":"red","day":"2026-01-01","points":[],"sides":1.5})",
       "Trường 'sides' phải là số nguyên.", "Field 'sides' must be an integer."},
      {R"({"name":"a","colour":"red","day":"2026-01-01","points":[],"sides":1,"filled":"yes"})",
       "Trường 'filled' phải là true hoặc false.", "Field 'filled' must be true or false."},
  };
  for (const Case& c : kCases) {
    auto r = ParseJson<Shape>(c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().reason, "request.invalid_field") << c.body;
    EXPECT_EQ(r.error().message_vi, c.message_vi) << c.body;
    EXPECT_EQ(r.error().message_en, c.message_en) << c.body;
  }
  EXPECT_EQ(ParseJson<Shape>("[1]").error().reason, "request.not_object");
  EXPECT_EQ(ParseJson<Shape>("{\"name\":\"\xff\"}").error().reason, "request.invalid_utf8");
}

TEST(ApiRender, WritesEveryMemberButEmptyOptionals) {
  Shape s;
  s.name = "tam";
  s.day = Date(std::chrono::year(2026) / 1 / 2);
  s.points = {{1, 2}};
  s.sides = 3;
  s.filled = false;
  EXPECT_EQ(Render(s), R"({"name":"tam","colour":"red","day":"2026-01-02",)"
                       R"("points":[{"x":1,"y":2}],"filled":false,"sides":3})");
  auto back = ParseJson<Shape>(Render(s));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(Render(*back), Render(s));
}

TEST(ApiRender, NullableIsWrittenAsNullAndRequired) {
  Event e{.at = Timestamp(std::chrono::seconds(1'763'900'000)), .closed_at = {}, .note = {}};
  EXPECT_EQ(Render(e), R"({"at":"2025-11-23T12:13:20Z","closed_at":null})");
  SchemaSet set;
  (void)SchemaOf(JsonBody<Event>(), set);
  EXPECT_EQ(set.schemas().at("Event").at("required"), bj::parse(R"(["at","closed_at"])"));
  EXPECT_EQ(set.schemas().at("Event").at("properties").at("closed_at"),
            bj::parse(R"({"type":"string","format":"date-time","nullable":true})"));
  auto back = ParseJson<Event>(Render(e));
  ASSERT_TRUE(back.ok()) << back.error().message_en;
  EXPECT_EQ(back->at, e.at);
  EXPECT_FALSE(back->closed_at.has_value());
}

TEST(ApiQuery, TypesEnumsAndDefaults) {
  Request request;
  auto defaults = ParseQuery<ShapeQuery>(request);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->limit, 50);
  EXPECT_EQ(defaults->colour, Colour::kDarkBlue);

  request.query = {{"q", "tre\xCC\x80"}, {"colour", "red"},       {"limit", "7"},
                   {"open", "true"},     {"since", "2026-03-01"}, {"other", "ignored"}};
  auto given = ParseQuery<ShapeQuery>(request);
  ASSERT_TRUE(given.ok()) << given.error().message_en;
  EXPECT_EQ(given->q->value, "trè");
  EXPECT_EQ(given->colour, Colour::kRed);
  EXPECT_EQ(given->limit, 7);
  EXPECT_TRUE(given->open);
  EXPECT_EQ(*given->since, Date(std::chrono::year(2026) / 3 / 1));

  for (const auto& [name, value, expected_en] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"limit", "7x", "Query parameter 'limit' is invalid: expected an integer."},
           {"colour", "blue",
            "Query parameter 'colour' is invalid: expected one of red, "
            "dark_blue."},
           {"open", "yes", "Query parameter 'open' is invalid: expected true or false."},
           {"since", "01/03/2026",
            "Query parameter 'since' is invalid: expected a date "
            "YYYY-MM-DD."},
           {"q", std::string(21, 'a'),
            "Query parameter 'q' is invalid: expected at most 20 "
            "characters."}}) {
    Request bad;
    bad.query = {{name, value}};
    auto r = ParseQuery<ShapeQuery>(bad);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.error().reason, "request.invalid_query");
    EXPECT_EQ(r.error().message_en, expected_en);
    EXPECT_FALSE(r.error().message_vi.empty());
  }
}

// A declared route as a module registers one.
Router DeclaredRouter() {
  Router router;
  router.Add({.method = Method::kPut,
              .path = "/api/v1/shapes/{id}/days/{day}",
              .action = "shape.write",
              .handler = [](const Request& request, Context& context) -> Result<Response> {
                Shape& shape = context.Body<Shape>();
                const ShapeQuery& query = context.Query<ShapeQuery>();
                // Not declared: the handler cannot act on it.
                EXPECT_FALSE(request.Query("other").has_value());
                shape.sides = static_cast<int>(query.limit);
                if (query.open) return JsonResponse(202, "{}");  // not declared
                if (query.colour == Colour::kRed) return JsonResponse(204, "");
                return Reply(201, shape);
              },
              .params = {IdParam("id"), DateParam("day")},
              .query = QueryParams<ShapeQuery>(),
              .body = JsonBody<Shape>(),
              .answers = {Returns<Shape>(201), NoContent()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/shapes/upload",
              .action = "shape.write",
              .handler = [](const Request&, Context&) -> Result<Response> {
                return JsonResponse(204, "");
              },
              .upload = true,
              .body = JsonBody<Shape>(),
              .form = true,
              .answers = {NoContent()}});
  router.Add(
      {.method = Method::kPut,
       .path = "/api/v1/shapes/{id}/picture",
       .action = "shape.write",
       .handler = [](const Request&, Context&) -> Result<Response> {
         return JsonResponse(204, "");
       },
       .upload = true,
       .params = {IdParam("id")},
       .raw_body = {.types = {"image/png"}, .required = false, .description = "empty: no picture"},
       .answers = {NoContent()}});
  return router;
}

Result<Response> Call(const Router& router, Method method, const std::string& path,
                      std::multimap<std::string, std::string> query, std::string body) {
  Request request;
  request.method = method;
  request.path = path;
  request.query = std::move(query);
  request.body = std::move(body);
  return test::Invoke(router, request);
}

TEST(ApiRoute, HandlerGetsTheDeclaredTypesAndAnswersOnlyDeclaredStatuses) {
  const Router router = DeclaredRouter();
  const std::string body =
      R"({"name":"a","colour":"red","day":"2026-01-01","points":[],"sides":1})";
  const std::uint64_t undeclared = UndeclaredQueryReads();
  auto created =
      Call(router, Method::kPut, "/api/v1/shapes/1/days/2026-01-01", {{"limit", "4"}}, body);
  ASSERT_TRUE(created.ok()) << created.error().message_en;
  EXPECT_EQ(created->status, 201);
  EXPECT_NE(created->body.find(R"("sides":4)"), std::string::npos);
  EXPECT_EQ(UndeclaredQueryReads(), undeclared + 1);

  auto bad_body = Call(router, Method::kPut, "/api/v1/shapes/1/days/2026-01-01", {}, "{}");
  ASSERT_FALSE(bad_body.ok());
  EXPECT_EQ(bad_body.error().reason, "request.invalid_field");
  auto bad_query =
      Call(router, Method::kPut, "/api/v1/shapes/1/days/2026-01-01", {{"limit", "x"}}, body);
  ASSERT_FALSE(bad_query.ok());
  EXPECT_EQ(bad_query.error().reason, "request.invalid_query");

  // 202 is nowhere in the declaration: a server error, not an undocumented answer.
  auto undocumented =
      Call(router, Method::kPut, "/api/v1/shapes/1/days/2026-01-01", {{"open", "true"}}, body);
  ASSERT_FALSE(undocumented.ok());
  EXPECT_EQ(undocumented.error().reason, "http.undeclared_status");
}

// A JSON-only body (sign-in): any other Content-Type is answered 415 before the body is parsed,
// so a form or text/plain gets no parse error; JSON with parameters is read as usual.
TEST(ApiRoute, AJsonOnlyBodyOfAnotherTypeIsRefusedBeforeItIsParsed) {
  Router router;
  router.Add({.method = Method::kPost,
              .path = "/api/v1/points",
              .action = "public.points",
              .handler = [](const Request&, Context& context) -> Result<Response> {
                return Reply(200, context.Body<Point>());
              },
              .body = JsonBody<Point>({.json_only = true}),
              .answers = {Returns<Point>()}});
  const Router::Match match = router.Find(Method::kPost, "/api/v1/points");
  ASSERT_NE(match.route, nullptr);
  const auto call = [&](std::string content_type, std::string body) {
    Request request;
    request.method = Method::kPost;
    request.path = "/api/v1/points";
    if (!content_type.empty()) request.headers.emplace_back("content-type", content_type);
    request.body = std::move(body);
    Context context;
    return match.route->handler(request, context);
  };
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "",
                           "application/json-seq", "multipart/form-data; boundary=x"}) {
    auto r = call(type, "x=1&y=2");
    ASSERT_TRUE(r.ok()) << type << ": " << r.error().reason;
    EXPECT_EQ(r->status, 415) << type;
    EXPECT_NE(r->body.find("http.unsupported_media_type"), std::string::npos) << r->body;
  }
  for (const char* type : {"application/json", "Application/JSON; charset=utf-8"}) {
    auto r = call(type, R"({"x":1,"y":2})");
    ASSERT_TRUE(r.ok()) << type << ": " << r.error().reason;
    EXPECT_EQ(r->status, 200) << type;
  }
  EXPECT_EQ(call("application/json", "x=1").error().reason, "request.malformed_json");
  // The document lists the 415.
  const auto document = bj::parse(OpenApi(router));
  EXPECT_TRUE(
      document.at_pointer("/paths/~1api~1v1~1points/post/responses").as_object().contains("415"));
}

TEST(ApiRouteDeathTest, ParametersMustMatchThePath) {
  Router router;
  EXPECT_DEATH(router.Add({.method = Method::kGet,
                           .path = "/api/v1/shapes/{id}",
                           .action = "shape.read",
                           .handler = [](const Request&, Context&) -> Result<Response> {
                             return JsonResponse(204, "");
                           },
                           .params = {IdParam("shape")},
                           .answers = {NoContent()}}),
               "params do not match the path");
  EXPECT_DEATH(
      router.Add({.method = Method::kGet,
                  .path = "/api/v1/shapes/{id}",
                  .action = "shape.read",
                  .handler = [](const Request&, Context& context) -> Result<Response> {
                    (void)context.Body<Shape>();
                    return JsonResponse(204, "");
                  },
                  .params = {IdParam("id")},
                  .answers = {NoContent()}});
      {
        Request request;
        Context context;
        (void)router.routes().back()->handler(request, context);
      },
      "asked for its body");
}

TEST(ApiOpenApi, DocumentsTheDeclaration) {
  const Router router = DeclaredRouter();
  const bj::value doc = bj::parse(OpenApi(router));
  const bj::value& put = doc.at("paths").at("/api/v1/shapes/{id}/days/{day}").at("put");
  const bj::array& parameters = put.at("parameters").as_array();
  ASSERT_EQ(parameters.size(), 2u + 5u);
  EXPECT_EQ(parameters[0], bj::parse(R"({"name":"id","in":"path","required":true,
      "schema":{"type":"integer","format":"int64","minimum":1}})"));
  EXPECT_EQ(parameters[1].at("schema"), bj::parse(R"({"type":"string","format":"date"})"));
  std::map<std::string, bj::value> query;
  for (std::size_t i = 2; i < parameters.size(); ++i) {
    EXPECT_EQ(parameters[i].at("in"), "query");
    query[std::string(parameters[i].at("name").as_string())] = parameters[i].at("schema");
  }
  EXPECT_EQ(query.at("limit"), bj::parse(R"({"type":"integer","format":"int64","default":50})"));
  EXPECT_EQ(query.at("colour"),
            bj::parse(R"({"type":"string","enum":["red","dark_blue"],"default":"dark_blue"})"));
  EXPECT_EQ(query.at("q"), bj::parse(R"({"type":"string","maxLength":20,"nullable":true})"));
  EXPECT_EQ(put.at("requestBody").at("content").at("application/json").at("schema"),
            bj::parse(R"({"$ref":"#/components/schemas/Shape"})"));
  const bj::object& responses = put.at("responses").as_object();
  EXPECT_EQ(responses.at("201").at("content").at("application/json").at("schema"),
            bj::parse(R"({"$ref":"#/components/schemas/Shape"})"));
  EXPECT_FALSE(responses.at("204").as_object().contains("content"));
  for (const char* status : {"400", "401", "403", "404", "413", "429", "default"}) {
    EXPECT_EQ(responses.at(status).at("$ref"), "#/components/responses/Error") << status;
  }
  EXPECT_FALSE(responses.contains("200"));
  EXPECT_TRUE(doc.at("components").at("schemas").as_object().contains("Point"));

  // An upload keeps its JSON type, in the body and as the form's `json` part.
  const bj::value& upload = doc.at("paths").at("/api/v1/shapes/upload").at("post");
  const bj::value& content = upload.at("requestBody").at("content");
  EXPECT_EQ(content.at("application/json").at("schema").at("$ref"), "#/components/schemas/Shape");
  EXPECT_EQ(content.at("multipart/form-data").at("schema").at("properties").at("json").at("$ref"),
            "#/components/schemas/Shape");

  // An upload that is one file: its media type, as binary, and what its absence means.
  const bj::value& picture = doc.at("paths").at("/api/v1/shapes/{id}/picture").at("put");
  EXPECT_EQ(picture.at("requestBody"), bj::parse(R"({"required":false,
      "content":{"image/png":{"schema":{"type":"string","format":"binary"}}},
      "description":"empty: no picture"})"));
  for (const char* status : {"400", "413"}) {
    EXPECT_TRUE(picture.at("responses").as_object().contains(status)) << status;
  }
}

// A raw body is read by the handler; a JSON body the router parses would have read it first.
TEST(ApiRouteDeathTest, ARawBodyExcludesAJsonBodyTheRouterParses) {
  Router router;
  EXPECT_DEATH(router.Add({.method = Method::kPut,
                           .path = "/api/v1/shapes/{id}/picture",
                           .action = "shape.write",
                           .handler = [](const Request&, Context&) -> Result<Response> {
                             return JsonResponse(204, "");
                           },
                           .params = {IdParam("id")},
                           .body = JsonBody<Shape>(),
                           .raw_body = {.types = {"image/png"}},
                           .answers = {NoContent()}}),
               "a JSON body the router parses excludes a raw body");
}

TEST(ApiContract, ChecksResponsesAgainstTheDocument) {
  const Router router = DeclaredRouter();
  const test::Contract contract(router);
  const std::string good =
      R"({"name":"a","colour":"red","day":"2026-01-01","points":[],"sides":1})";
  const std::string_view json = "application/json; charset=utf-8";
  const std::string path = "/api/v1/shapes/1/days/2026-01-01?limit=3";
  EXPECT_EQ(contract.Check("PUT", path, 201, json, good), "");
  EXPECT_EQ(contract.Check("PUT", path, 204, "", ""), "");
  EXPECT_NE(contract.Check("PUT", path, 200, json, good), "") << "an undeclared status";
  EXPECT_NE(contract.Check("PUT", path, 201, json, R"({"name":"a"})"), "") << "missing members";
  EXPECT_NE(
      contract.Check("PUT", path, 201, json,
                     R"({"name":"a","colour":"pink","day":"2026-01-01","points":[],"sides":1})"),
      "")
      << "not among the enum";
  EXPECT_NE(contract.Check(
                "PUT", path, 201, json,
                R"({"name":"abcdef","colour":"red","day":"2026-01-01","points":[],"sides":1})"),
            "")
      << "too long";
  EXPECT_NE(
      contract.Check("PUT", path, 201, json,
                     R"({"name":"a","colour":"red","day":"2026-13-01","points":[],"sides":1})"),
      "")
      << "not a date";
  EXPECT_NE(
      contract.Check(
          "PUT", path, 201, json,
          R"({"name":"a","colour":"red","day":"2026-01-01","points":[{"x":"1","y":2}],"sides":1})"),
      "")
      << "a string for an integer, inside an array";
  EXPECT_EQ(
      contract.Check("PUT", path, 404, json,
                     R"({"error":{"code":"x","message":"m","message_en":"m","request_id":"r"}})"),
      "");
  EXPECT_NE(contract.Check("PUT", path, 404, json, R"({"message":"m"})"), "")
      << "errors have the one shape";
}

// Page bounds used to be checked by each handler, and not documented: limit=0 or 501 is now
// refused by the type wherever it is read, and the document says minimum and maximum.
TEST(ApiBounded, RefusedOutsideItsRangeAndDocumented) {
  for (const auto& [name, value, expected_vi, expected_en] :
       std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
           {"limit", "0", "Tham số 'limit' không hợp lệ: cần số nguyên từ 1 đến 500.",
            "Query parameter 'limit' is invalid: expected an integer from 1 to 500."},
           {"limit", "501", "Tham số 'limit' không hợp lệ: cần số nguyên từ 1 đến 500.",
            "Query parameter 'limit' is invalid: expected an integer from 1 to 500."},
           {"limit", "4294967297", "Tham số 'limit' không hợp lệ: cần số nguyên từ 1 đến 500.",
            "Query parameter 'limit' is invalid: expected an integer from 1 to 500."},
           {"offset", "-1", "Tham số 'offset' không hợp lệ: cần số nguyên từ 0 đến 1000000000.",
            "Query parameter 'offset' is invalid: expected an integer from 0 to 1000000000."}}) {
    Request request;
    request.query = {{"from", "2026-01-01"}, {name, value}};
    auto r = ParseQuery<PageQuery>(request);
    ASSERT_FALSE(r.ok()) << name << "=" << value;
    EXPECT_EQ(r.error().reason, "request.invalid_query");
    EXPECT_EQ(r.error().message_vi, expected_vi);
    EXPECT_EQ(r.error().message_en, expected_en);
  }
  Request good;
  good.query = {{"from", "2026-01-01"}, {"limit", "500"}, {"offset", "0"}};
  auto page = ParseQuery<PageQuery>(good);
  ASSERT_TRUE(page.ok()) << page.error().message_en;
  EXPECT_EQ(page->limit, 500);

  // In a body: read as 64 bits, so 2^32 + 2 is never 2.
  for (const char* body :
       {R"({"rating":0})", R"({"rating":4})", R"({"rating":4294967298})", R"({"rating":"2"})"}) {
    auto r = ParseJson<Rating>(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().reason, "request.invalid_field");
    EXPECT_EQ(r.error().message_en, "Field 'rating' must be an integer from 1 to 3.");
    EXPECT_EQ(r.error().message_vi, "Trường 'rating' phải là số nguyên từ 1 đến 3.");
  }
  auto rated = ParseJson<Rating>(R"({"rating":3})");
  ASSERT_TRUE(rated.ok());
  EXPECT_EQ(rated->rating->value, 3);
  EXPECT_EQ(Render(*rated), R"({"rating":3})");

  SchemaSet set;
  bj::object query;
  QueryParams<PageQuery>().schema(set, query);
  EXPECT_EQ(query.at("properties").at("limit"),
            bj::parse(R"({"type":"integer","format":"int32","minimum":1,"maximum":500,
                          "default":50})"));
  EXPECT_EQ(query.at("properties").at("offset").at("maximum"), 1000000000);
  (void)SchemaOf(JsonBody<Rating>(), set);
  EXPECT_EQ(set.schemas().at("Rating").at("properties").at("rating"),
            bj::parse(R"({"type":"integer","format":"int32","minimum":1,"maximum":3,
                          "nullable":true})"));
}

// A member without a default (a Date, a Text) is a required parameter: refused when missing
// or blank, and `required` in the document; the others are not.
TEST(ApiQuery, AMemberWithoutADefaultIsRequired) {
  Request missing;
  auto r = ParseQuery<PageQuery>(missing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, "request.invalid_query");
  EXPECT_EQ(r.error().message_vi, "Thiếu tham số 'from'.");
  EXPECT_EQ(r.error().message_en, "Query parameter 'from' is required.");

  Router router;
  router.Add({.method = Method::kGet,
              .path = "/api/v1/pages",
              .action = "page.read",
              .handler = [](const Request&, Context&) -> Result<Response> {
                return JsonResponse(204, "");
              },
              .query = QueryParams<PageQuery>(),
              .answers = {NoContent()}});
  const bj::value doc = bj::parse(OpenApi(router));
  std::map<std::string, bj::value> required;
  for (const auto& p : doc.at("paths").at("/api/v1/pages").at("get").at("parameters").as_array()) {
    required[std::string(p.at("name").as_string())] = p.at("required");
  }
  EXPECT_EQ(required.at("from"), true);
  EXPECT_EQ(required.at("limit"), false);
  EXPECT_EQ(required.at("q"), false);
}

// An async handler (the PostgreSQL lookup) gets the query parsed and enforced by the router, on
// the thread it starts on, like a plain one; its answer's status is checked where it arrives.
TEST(ApiRoute, AsyncHandlerGetsTheDeclaredQuery) {
  Router router;
  router.Add({.method = Method::kGet,
              .path = "/api/v1/pages",
              .action = "page.read",
              .handler = [](const Request&, Context&) -> Result<Response> {
                return JsonResponse(204, "");
              },
              .async_handler =
                  [](const Request&, Context& context, Responder respond) {
                    const PageQuery& query = context.Query<PageQuery>();
                    respond(JsonResponse(query.limit == 7 ? 202 : 204, ""));
                  },
              .query = QueryParams<PageQuery>(),
              .answers = {NoContent()}});
  auto call = [&](std::multimap<std::string, std::string> query) {
    Request request;
    request.query = std::move(query);
    Context context;
    std::optional<Result<Response>> answer;
    router.routes().back()->async_handler(request, context,
                                          [&](Result<Response> r) { answer = std::move(r); });
    EXPECT_TRUE(answer.has_value());
    return answer.value_or(Result<Response>(InternalError("no answer")));
  };
  auto ok = call({{"from", "2026-01-01"}});
  ASSERT_TRUE(ok.ok()) << ok.error().message_en;
  EXPECT_EQ(ok->status, 204);
  auto bad = call({{"from", "2026-01-01"}, {"limit", "501"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().reason, "request.invalid_query");
  auto undeclared = call({{"from", "2026-01-01"}, {"limit", "7"}});
  ASSERT_FALSE(undeclared.ok());
  EXPECT_EQ(undeclared.error().reason, "http.undeclared_status");
}

// A partner's protocol answers its errors in its own format: the document says so for the
// handler's errors (the declared ones and `default`), keeps Error for those the server answers
// before the handler, and the contract checks each against its own schema.
Router PartnerRouter() {
  Router router;
  router.Add({.method = Method::kPost,
              .path = "/api/v1/partner/callback",
              .action = "public.partner",
              .handler = [](const Request& request, Context&) -> Result<Response> {
                if (request.body == "bad") return Reply(403, PartnerReply{.code = "01"});
                return Reply(200, PartnerReply{.code = "00", .signature = "abc"});
              },
              .body = DocumentedBody<Point>(),
              .answers = {Returns<PartnerReply>(200), Returns<PartnerReply>(403, "wrong checksum")},
              .errors = ErrorBody<PartnerReply>()});
  return router;
}

TEST(ApiRoute, ErrorsInAFormatOfTheRoutesOwn) {
  const Router router = PartnerRouter();
  const bj::value doc = bj::parse(OpenApi(router));
  const bj::value& post = doc.at("paths").at("/api/v1/partner/callback").at("post");
  const bj::object& responses = post.at("responses").as_object();
  const bj::value reply = bj::parse(R"({"$ref":"#/components/schemas/PartnerReply"})");
  for (const char* status : {"200", "403", "default"}) {
    EXPECT_EQ(responses.at(status).at("content").at("application/json").at("schema"), reply)
        << status;
  }
  EXPECT_EQ(responses.at("403").at("description"), "wrong checksum");
  for (const char* status : {"413", "429"}) {
    EXPECT_EQ(responses.at(status).at("$ref"), "#/components/responses/Error") << status;
  }
  EXPECT_FALSE(responses.contains("400")) << "the router parses nothing of this route";
  EXPECT_EQ(post.at("requestBody").at("content").at("application/json").at("schema").at("$ref"),
            "#/components/schemas/Point");

  // The body is documented, not parsed: the handler reads it, whatever it is.
  auto refused = Call(router, Method::kPost, "/api/v1/partner/callback", {}, "bad");
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 403);

  const test::Contract contract(router);
  const std::string_view json = "application/json";
  const std::string path = "/api/v1/partner/callback";
  EXPECT_EQ(contract.Check("POST", path, 403, json, refused->body), "");
  EXPECT_EQ(contract.Check("POST", path, 503, json, R"({"code":"99"})"), "") << "default";
  EXPECT_NE(contract.Check("POST", path, 403, json,
                           R"({"error":{"code":"x","message":"m","message_en":"m",
                              "request_id":"r"}})"),
            "")
      << "not the partner's format";
  EXPECT_EQ(contract.Check("POST", path, 429, json,
                           R"({"error":{"code":"x","message":"m","message_en":"m",
                              "request_id":"r"}})"),
            "")
      << "the rate limiter's answer";
}

TEST(ApiRouteDeathTest, ErrorAnswersNeedTheRoutesErrorType) {
  auto handler = [](const Request&, Context&) -> Result<Response> { return JsonResponse(204, ""); };
  Router router;
  EXPECT_DEATH(router.Add({.method = Method::kPost,
                           .path = "/a",
                           .action = "a.b",
                           .handler = handler,
                           .answers = {NoContent(), Returns<PartnerReply>(403)}}),
               "an error answer is of the route's errors type");
  EXPECT_DEATH(router.Add({.method = Method::kPost,
                           .path = "/b",
                           .action = "a.b",
                           .handler = handler,
                           .body = JsonBody<Point>(),
                           .answers = {NoContent()},
                           .errors = ErrorBody<PartnerReply>()}),
               "reads its own query and body");
}

// One status served as several content types (a file as what it is): one response listing each.
TEST(ApiOpenApi, OneStatusWithSeveralContentTypes) {
  Router router;
  router.Add({.method = Method::kGet,
              .path = "/files/{name}",
              .action = "public.files",
              .handler = [](const Request&, Context&) -> Result<Response> {
                return JsonResponse(200, "{}");
              },
              .params = {CodeParam("name")},
              .answers = {Returns<Point>(200, "the file"),
                          FileAnswer(200, "application/pkcs7-signature")}});
  const bj::value doc = bj::parse(OpenApi(router));
  const bj::value& ok = doc.at("paths").at("/files/{name}").at("get").at("responses").at("200");
  EXPECT_EQ(ok.at("description"), "the file");
  EXPECT_EQ(ok.at("content").at("application/json").at("schema").at("$ref"),
            "#/components/schemas/Point");
  EXPECT_EQ(ok.at("content").at("application/pkcs7-signature").at("schema"),
            bj::parse(R"({"type":"string","format":"binary"})"));
}

TEST(ApiContract, ValidatorSubset) {
  const bj::value doc = bj::parse(R"({"components":{"schemas":{}}})");
  auto check = [&](std::string_view schema, std::string_view instance) {
    return test::ValidateSchema(doc, bj::parse(schema), bj::parse(instance));
  };
  EXPECT_EQ(check(R"({"type":"string","nullable":true})", "null"), "");
  EXPECT_NE(check(R"({"type":"string"})", "null"), "");
  EXPECT_EQ(check(R"({"type":"integer","minimum":1})", "1"), "");
  EXPECT_NE(check(R"({"type":"integer","minimum":1})", "0"), "");
  EXPECT_NE(check(R"({"type":"integer"})", "1.5"), "");
  EXPECT_EQ(check(R"({"type":"number"})", "1.5"), "");
  EXPECT_NE(check(R"({"type":"string","pattern":"^[A-Z]+$"})", R"("abc")"), "");
  EXPECT_EQ(check(R"({"type":"string","maxLength":2})", R"("đạ")"), "") << "characters, not bytes";
  EXPECT_NE(check(R"({"$ref":"#/components/schemas/Missing"})", "1"), "");
}

}  // namespace
}  // namespace tinhso::http
