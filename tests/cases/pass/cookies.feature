Feature: Cookies
  A cookie a response sets is kept in the scenario's jar and sent back by domain and path
  rules; cookies can be checked, set by hand and cleared.

  Background:
    Given address "@address"

  Scenario: a cookie set by a response is sent back
    Given URL path "/api/headers/set"
    And query string "?Set-Cookie=sid%3Dabc123%3B%20Path%3D%2F"
    When the URL is invoked
    Then cookie "sid" is "abc123"
    And cookie "sid" is not "other"
    And cookie "sid" matches the regex "^[a-z]+\d+$"
    And cookie "sid" exists
    And cookie "theme" does not exist
    Given URL path "/api/echo"
    And query string ""
    When the URL is invoked
    Then path "/headers/cookie" is "sid=abc123"

  Scenario: a cookie for another path is not sent
    Given URL path "/api/headers/set"
    And query string "?Set-Cookie=scoped%3D1%3B%20Path%3D%2Fapi%2Fother"
    When the URL is invoked
    Then cookie "scoped" exists
    Given URL path "/api/echo"
    And query string ""
    When the URL is invoked
    Then path "/headers/cookie" does not exist

  Scenario: a cookie set by hand, then cleared
    Given cookie "theme" "dark"
    And URL path "/api/echo"
    When the URL is invoked
    Then path "/headers/cookie" is "theme=dark"
    And cookie "theme" is "dark"
    Given cookies are cleared
    When the URL is invoked
    Then path "/headers/cookie" does not exist
    And cookie "theme" does not exist

  Scenario: a Cookie header set by the feature wins over the jar
    Given cookie "theme" "dark"
    And header "Cookie" "theme=light"
    And URL path "/api/echo"
    When the URL is invoked
    Then path "/headers/cookie" is "theme=light"
