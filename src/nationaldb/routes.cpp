// Thin handlers: the shared categories published as the LGSP's /dmdc, and their administration.
#include <functional>

#include "nationaldb/api.hpp"
#include "nationaldb/categories.hpp"

namespace tinhso::nationaldb {
namespace {

using http::Method;

constexpr std::string_view kRead = "public.categories";
constexpr std::string_view kManage = "category.manage";

std::optional<std::string> NonEmpty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

DmdcMetadata ToDmdc(const Category& c) {
  DmdcMetadata out{.MaDanhMuc = c.code,
                   .TenDanhMuc = c.name,
                   .TenTiengAnh = c.name_en,
                   .MoTa = c.description,
                   .PhienBan = {}};
  for (const Version& v : c.versions) {
    out.PhienBan.push_back({.PhienBan = v.version,
                            .HieuLucTu = v.valid_from,
                            .HieuLucDen = v.valid_to,
                            .CanCu = v.decision,
                            .GhiChu = v.note,
                            .SoMuc = v.items});
  }
  return out;
}

DmdcCategory ToDmdc(const Listing& l) {
  DmdcCategory out{.MaDanhMuc = l.category, .Ngay = l.on, .PhienBan = l.version, .DanhSach = {}};
  for (const Item& i : l.items) {
    out.DanhSach.push_back({.Ma = i.code,
                            .Ten = i.name,
                            .TenTiengAnh = i.name_en,
                            .MaCha = NonEmpty(i.parent_code),
                            .Cap = i.level == 0 ? std::nullopt : std::optional<int>(i.level),
                            .Loai = NonEmpty(i.kind),
                            .VietTat = NonEmpty(i.abbreviation),
                            .HieuLucTu = i.valid_from,
                            .HieuLucDen = i.valid_to});
  }
  return out;
}

CategoryView ToView(const Category& c) {
  CategoryView out{.code = c.code,
                   .name = c.name,
                   .name_en = c.name_en,
                   .description = c.description,
                   .versions = {}};
  for (const Version& v : c.versions) {
    out.versions.push_back({.version = v.version,
                            .valid_from = v.valid_from,
                            .valid_to = v.valid_to,
                            .decision = v.decision,
                            .note = v.note,
                            .items = v.items,
                            .created_at = v.created_at});
  }
  return out;
}

template <class T>
std::string Opt(const std::optional<T>& v) {
  return v ? v->value : std::string();
}

ItemInput FromApi(const CategoryItemInput& in) {
  return {.code = in.code.value,
          .name = in.name.value,
          .name_en = Opt(in.name_en),
          .parent_code = Opt(in.parent_code),
          .level = in.level ? static_cast<int>(*in.level) : 0,
          .kind = Opt(in.kind),
          .abbreviation = Opt(in.abbreviation)};
}

Result<http::Response> Metadata(Categories& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(Category c, svc.Metadata(ctx.Param("code")));
  return http::Reply(200, ToDmdc(c));
}

Result<http::Response> ItemsGet(Categories& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(Listing l, svc.Items(ctx.Param("code"), ctx.Query<DmdcQuery>().ngay));
  return http::Reply(200, ToDmdc(l));
}

Result<http::Response> ItemsPost(Categories& svc, const http::Request&, http::Context& ctx) {
  TINHSO_ASSIGN_OR_RETURN(Listing l, svc.Items(ctx.Param("code"), ctx.Body<DmdcQuery>().ngay));
  return http::Reply(200, ToDmdc(l));
}

Result<http::Response> List(Categories& svc, const http::Request&, http::Context&) {
  TINHSO_ASSIGN_OR_RETURN(auto all, svc.List());
  CategoryList out;
  for (const Category& c : all) out.items.push_back(ToView(c));
  return http::Reply(200, out);
}

Result<http::Response> Define(Categories& svc, const http::Request&, http::Context& ctx) {
  const auto& body = ctx.Body<CategoryDefinition>();
  TINHSO_ASSIGN_OR_RETURN(Category c, svc.Define({.code = std::string(ctx.Param("code")),
                                                  .name = body.name.value,
                                                  .name_en = Opt(body.name_en),
                                                  .description = Opt(body.description)},
                                                 ctx.actor));
  return http::Reply(200, ToView(c));
}

Result<http::Response> Publish(Categories& svc, const http::Request&, http::Context& ctx) {
  const auto& body = ctx.Body<CategoryVersionInput>();
  VersionInput version{.version = body.version.value,
                       .valid_from = body.valid_from,
                       .decision = Opt(body.decision),
                       .note = Opt(body.note),
                       .items = {}};
  for (const auto& item : body.items) version.items.push_back(FromApi(item));
  TINHSO_ASSIGN_OR_RETURN(PublishResult r, svc.Publish(ctx.Param("code"), version, ctx.actor));
  return http::Reply(
      201, CategoryPublished{
               .added = r.added, .changed = r.changed, .ended = r.ended, .unchanged = r.unchanged});
}

Result<http::Response> PutItem(Categories& svc, const http::Request&, http::Context& ctx) {
  const auto& body = ctx.Body<CategoryItemChange>();
  ItemInput item{.code = std::string(ctx.Param("item")),
                 .name = body.name.value,
                 .name_en = Opt(body.name_en),
                 .parent_code = Opt(body.parent_code),
                 .level = body.level ? static_cast<int>(*body.level) : 0,
                 .kind = Opt(body.kind),
                 .abbreviation = Opt(body.abbreviation)};
  TINHSO_ASSIGN_OR_RETURN(Item saved,
                          svc.PutItem(ctx.Param("code"), item, body.valid_from, ctx.actor));
  Listing one{.category = std::string(ctx.Param("code")),
              .on = saved.valid_from,
              .version = "",
              .items = {saved}};
  return http::Reply(200, ToDmdc(one).DanhSach.front());
}

Result<http::Response> EndItem(Categories& svc, const http::Request&, http::Context& ctx) {
  TINHSO_RETURN_IF_ERROR(svc.EndItem(ctx.Param("code"), ctx.Param("item"),
                                     ctx.Body<CategoryItemEnd>().valid_to, ctx.actor));
  http::Response r;
  r.status = 204;
  return r;
}

}  // namespace

void RegisterCategoryRoutes(http::Router& router, Categories& categories) {
  auto svc = std::ref(categories);
  http::PathParam code = http::CodeParam("code", "^[a-z0-9_]{1,64}$");
  code.description = "Mã danh mục / the category's code (dantoc, quocgia, donvihanhchinh…)";
  http::PathParam item = http::CodeParam("item", "^[A-Za-z0-9._-]{1,64}$");
  item.description = "Mã mục / the item's code";
  router.Add({.method = Method::kGet,
              .path = "/dmdc/Metadata/{code}",
              .action = std::string(kRead),
              .summary_vi = "Thông tin danh mục dùng chung và các phiên bản của nó",
              .summary_en = "A shared category's description and its versions",
              .handler = std::bind_front(Metadata, svc),
              .tag = "categories",
              .params = {code},
              .answers = {http::Returns<DmdcMetadata>()}});
  router.Add({.method = Method::kGet,
              .path = "/dmdc/Category/{code}",
              .action = std::string(kRead),
              .summary_vi = "Các mục của danh mục dùng chung có hiệu lực vào một ngày",
              .summary_en = "A shared category's items valid on a day",
              .handler = std::bind_front(ItemsGet, svc),
              .tag = "categories",
              .params = {code},
              .query = http::QueryParams<DmdcQuery>(),
              .answers = {http::Returns<DmdcCategory>()}});
  router.Add({.method = Method::kPost,
              .path = "/dmdc/Category/{code}",
              .action = std::string(kRead),
              .summary_vi = "Như GET, với ngày trong thân yêu cầu (trục LGSP gọi cả hai cách)",
              .summary_en = "As GET, with the day in the body (the LGSP calls both ways)",
              .handler = std::bind_front(ItemsPost, svc),
              .tag = "categories",
              .params = {code},
              .body = http::JsonBody<DmdcQuery>(),
              .answers = {http::Returns<DmdcCategory>()}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/categories",
              .action = std::string(kRead),
              .summary_vi = "Các danh mục dùng chung tỉnh công bố",
              .summary_en = "The shared categories the province publishes",
              .handler = std::bind_front(List, svc),
              .tag = "categories",
              .answers = {http::Returns<CategoryList>()}});
  router.Add({.method = Method::kPut,
              .path = "/api/v1/categories/{code}",
              .action = std::string(kManage),
              .summary_vi = "Tạo danh mục dùng chung hoặc sửa tên, mô tả",
              .summary_en = "Create a shared category or change its names and description",
              .handler = std::bind_front(Define, svc),
              .tag = "categories",
              .params = {code},
              .body = http::JsonBody<CategoryDefinition>(),
              .answers = {http::Returns<CategoryView>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/categories/{code}/versions",
              .action = std::string(kManage),
              .summary_vi = "Công bố phiên bản mới (cả danh sách, từ một ngày)",
              .summary_en = "Publish a new version (the whole list, from a day)",
              .handler = std::bind_front(Publish, svc),
              .tag = "categories",
              .params = {code},
              .body = http::JsonBody<CategoryVersionInput>(),
              .answers = {http::Returns<CategoryPublished>(201)}});
  router.Add({.method = Method::kPut,
              .path = "/api/v1/categories/{code}/items/{item}",
              .action = std::string(kManage),
              .summary_vi = "Sửa hoặc thêm một mục từ một ngày",
              .summary_en = "Change or add one item from a day",
              .handler = std::bind_front(PutItem, svc),
              .tag = "categories",
              .params = {code, item},
              .body = http::JsonBody<CategoryItemChange>(),
              .answers = {http::Returns<DmdcItem>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/categories/{code}/items/{item}/end",
              .action = std::string(kManage),
              .summary_vi = "Chấm dứt hiệu lực một mục từ một ngày",
              .summary_en = "End one item from a day",
              .handler = std::bind_front(EndItem, svc),
              .tag = "categories",
              .params = {code, item},
              .body = http::JsonBody<CategoryItemEnd>(),
              .answers = {http::NoContent()}});
}

}  // namespace tinhso::nationaldb
