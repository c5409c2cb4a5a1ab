// Thin handlers: the site's contacts, sending feedback, and the officers' list of it.
#include <functional>

#include "feedback/api.hpp"
#include "feedback/feedback.hpp"

namespace tinhso::feedback {
namespace {

using http::Method;

FeedbackView View(const Feedback& f) {
  return {.id = f.id,
          .created_at = f.created_at,
          .kind = f.kind,
          .name = f.name,
          .contact = f.contact,
          .subject = f.subject,
          .content = f.content,
          .dossier_ref = f.dossier_ref,
          .signed_in = f.user_id != 0};
}

Result<http::Response> Send(Service& svc, const http::Request& req, http::Context& ctx) {
  const auto& body = ctx.Body<FeedbackInput>();
  Input in{.kind = body.kind,
           .name = body.name.value,
           .contact = body.contact.value,
           .subject = body.subject.value,
           .content = body.content.value,
           .dossier_ref = body.dossier_ref ? body.dossier_ref->value : ""};
  TINHSO_ASSIGN_OR_RETURN(Feedback f, svc.Send(in, ctx.actor, req.client_ip));
  return http::Reply(201, View(f));
}

Result<http::Response> List(Service& svc, const http::Request&, http::Context& ctx) {
  const auto& q = ctx.Query<FeedbackListQuery>();
  TINHSO_ASSIGN_OR_RETURN(Page page, svc.List(q.limit, q.offset, ctx.actor));
  return http::Reply(200, http::PageOf(page, View));
}

}  // namespace

void RegisterRoutes(http::Router& router, Service& service, SiteInfo site) {
  router.Add({.method = Method::kGet,
              .path = "/api/v1/site",
              .action = "public.site",
              .summary_vi = "Cơ quan vận hành cổng: tên tỉnh, địa chỉ, đường dây nóng, thư điện "
                            "tử, cách nộp phí khi không thanh toán trực tuyến được",
              .summary_en = "Who runs the portal: province, address, hotline, e-mail, and how to "
                            "pay when online payment is unavailable",
              .handler = [site](const http::Request&, http::Context&) -> Result<http::Response> {
                return http::Reply(200, site);
              },
              .cheap = true,
              .tag = "site",
              .answers = {http::Returns<SiteInfo>()}});
  router.Add({.method = Method::kPost,
              .path = "/api/v1/feedback",
              .action = "public.feedback",
              .summary_vi = "Gửi phản ánh, kiến nghị",
              .summary_en = "Send feedback (a complaint or a suggestion)",
              .handler = std::bind_front(Send, std::ref(service)),
              .tag = "site",
              .body = http::JsonBody<FeedbackInput>(),
              .answers = {http::Returns<FeedbackView>(201)}});
  router.Add({.method = Method::kGet,
              .path = "/api/v1/feedback",
              .action = "feedback.read",
              .summary_vi = "Phản ánh, kiến nghị đã nhận, mới nhất trước",
              .summary_en = "Feedback received, newest first",
              .handler = std::bind_front(List, std::ref(service)),
              .tag = "site",
              .query = http::QueryParams<FeedbackListQuery>(),
              .answers = {http::Returns<http::Page<FeedbackView>>()}});
}

}  // namespace tinhso::feedback
