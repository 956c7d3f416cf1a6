Feature: Cookies, failing twin
  The same checks as pass/cookies.feature, each expecting the opposite. Every scenario must
  fail.

  Background:
    Given address "@address"
    And URL path "/api/headers/set"
    And query string "?Set-Cookie=sid%3Dabc123%3B%20Path%3D%2F"

  Scenario: cookie is, with another value
    When the URL is invoked
    Then cookie "sid" is "other"

  Scenario: cookie is, on a cookie the jar does not have
    When the URL is invoked
    Then cookie "theme" is "dark"

  Scenario: cookie is not, with the same value
    When the URL is invoked
    Then cookie "sid" is not "abc123"

  Scenario: cookie matches the regex, not matching
    When the URL is invoked
    Then cookie "sid" matches the regex "^\d+$"

  Scenario: cookie exists, on a cookie the jar does not have
    When the URL is invoked
    Then cookie "theme" exists

  Scenario: cookie does not exist, on one the response set
    When the URL is invoked
    Then cookie "sid" does not exist

  Scenario: a cookie set by hand with a name that cannot be one
    Given cookie "a=b" "c"

  Scenario: a cookie set by hand before any address
    Given cookies are cleared
    And cookie "theme" "dark"
    And address ""
    And cookie "theme" "dark"

  Scenario: cookies are cleared, then one is expected
    When the URL is invoked
    Given cookies are cleared
    Then cookie "sid" exists
