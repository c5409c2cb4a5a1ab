// The citizen portal's public pages rendered on the server: semantic HTML that index.html
// carries in its <div id="root">, so that a phone on a slow line shows the catalog before the
// script has arrived, and a browser without JavaScript can still search, read a procedure and
// look a dossier up. The web UI replaces it when it starts (createRoot, no hydration).
//
// Pages are in Vietnamese or English: ?lang=en (the links of an English page carry it), else
// the language cookie the web UI sets when the reader switches (kLanguageCookie).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "catalog/catalog.hpp"
#include "dossiers/dossiers.hpp"
#include "http/http.hpp"

namespace tinhso::portal {

/// The cookie holding the reader's language ("vi", "en"); web/src/i18n/index.tsx writes it.
inline constexpr std::string_view kLanguageCookie = "tinhso_lang";

/// How the home orders its groups of procedures (by the competent agency's name): the name's
/// core::SearchKey, compared bytewise. web/src/lib/catalog.ts groupOrderKey is the same rule,
/// so that the page does not reorder when the script takes over.
std::string GroupOrderKey(std::string_view name);

/// The public lookup (dossiers::Service::Lookup: throttled per client address).
using LookupFn = std::function<Result<dossiers::PublicView>(
    std::string_view code, std::string_view secret, std::string_view client)>;

class Pages {
 public:
  explicit Pages(const catalog::Service& catalog) : catalog_(catalog) {}

  /// Answers /tra-cuu?ma=CODE&k=SECRET with the dossier (without it, the form only). Set once,
  /// before the server starts.
  void SetLookup(LookupFn lookup) { lookup_ = std::move(lookup); }

  // The page for a request answered with index.html (the routes of web/src/App.tsx):
  //   /                            the catalog by sector, the search form (?q=, &field=, &level=)
  //   /thu-tuc?ma=CODE, /thu-tuc/CODE   a procedure's essentials
  //   /tra-cuu                     the lookup form; with ?ma=&k=, the dossier (RenderedPage::
  //                                no_store), read from the database: the server calls this
  //                                off its I/O threads when the address has a query
  // nullptr for other addresses, an unknown procedure, or a catalog that cannot be read (the
  // plain index.html then goes out). Pages without a search are kept until the catalog's
  // generation moves. Thread-safe.
  std::shared_ptr<const http::RenderedPage> Render(const http::Request& request) const;

  // Render, for http::ServerOptions::page_renderer. `this` must outlive the server.
  http::PageRenderer Renderer() const;

 private:
  const catalog::Service& catalog_;
  LookupFn lookup_;
  mutable std::mutex mu_;
  mutable std::int64_t generation_ = -1;
  mutable std::map<std::string, std::shared_ptr<const http::RenderedPage>, std::less<>> kept_;
};

}  // namespace tinhso::portal
