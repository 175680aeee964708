// redact_userinfo: no message of the sync code may carry a URL's credentials.
#include <catch2/catch.hpp>

#include "gitstate/plumbing/remote.h"

using gitstate::redact_userinfo;

TEST_CASE("redact_userinfo strips user information from every URL", "[remote]") {
  CHECK(redact_userinfo("https://alice:pw@example.org/x.git") == "https://example.org/x.git");
  CHECK(redact_userinfo("ssh://git@example.org:22/x") == "ssh://example.org:22/x");
  CHECK(redact_userinfo("http://a:b@h") == "http://h");
  CHECK(redact_userinfo("fetch from http://u:p%40ss@h:8080/r (http://v:q@i/s): failed") ==
        "fetch from http://h:8080/r (http://i/s): failed");
  CHECK(redact_userinfo("'git://x:y@127.0.0.1:9/r'") == "'git://127.0.0.1:9/r'");
  CHECK(redact_userinfo("http://h/path@with-at") == "http://h/path@with-at");
  CHECK(redact_userinfo("no url here: user:pw@host") == "no url here: user:pw@host");
  CHECK(redact_userinfo("/srv/state.git") == "/srv/state.git");
  CHECK(redact_userinfo("") == "");
}
