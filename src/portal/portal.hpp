// The citizen portal's public pages rendered on the server: semantic HTML that index.html
// carries in its <div id="root">, so that a phone on a slow line shows the catalog before the
// script has arrived, and a browser without JavaScript can still search, read a procedure and
// find the lookup form. The web UI replaces it when it starts (createRoot, no hydration).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "catalog/catalog.hpp"
#include "http/http.hpp"

namespace tinhso::portal {

class Pages {
 public:
  explicit Pages(const catalog::Service& catalog) : catalog_(catalog) {}

  // The page for a request answered with index.html (the routes of web/src/App.tsx):
  //   /                            the catalog by sector, the search form (?q=, &field=, &level=)
  //   /thu-tuc?ma=CODE, /thu-tuc/CODE   a procedure's essentials
  //   /tra-cuu                     the lookup form
  // nullptr for other addresses, an unknown procedure, or a catalog that cannot be read (the
  // plain index.html then goes out). Pages without a search are kept until the catalog's
  // generation moves. Thread-safe.
  std::shared_ptr<const http::RenderedPage> Render(const http::Request& request) const;

  // Render, for http::ServerOptions::page_renderer. `this` must outlive the server.
  http::PageRenderer Renderer() const;

 private:
  const catalog::Service& catalog_;
  mutable std::mutex mu_;
  mutable std::int64_t generation_ = -1;
  mutable std::map<std::string, std::shared_ptr<const http::RenderedPage>, std::less<>> kept_;
};

}  // namespace tinhso::portal
