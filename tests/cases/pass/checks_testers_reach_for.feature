Feature: The checks testers reach for
  Status classes, a redirect checked instead of followed, a header stored for the next
  request, the response time, and the body as text.

  Background:
    Given address "@address"

  Scenario: a status class
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then status is "2xx"
    And status is "2XX"
    Given URL path "/api/status/404"
    When the URL is invoked
    Then status is "4xx"

  Scenario: a redirect checked, its Location stored and followed by hand
    Given redirects are not followed
    And URL path "/api/redirect/1"
    When the URL is invoked
    Then status is "302"
    And status is "3xx"
    And header "Location" is "/api/redirect/0"
    And I store header "Location" under "next"
    Given URL path "#next"
    When the URL is invoked
    Then status is "200"
    And path "/redirected" is True

  Scenario: the response time
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then response time is under "5000" ms

  Scenario: the body as text
    Given URL path "/api/text"
    When the URL is invoked
    Then response body contains "Hello"
    And response body does not contain "Traceback"
    And response body matches the regex "^Hello, \w+!$"
    And response body size is "13"
    And response body SHA-256 is "DFFD6021BB2BD5B0AF676290809EC3A53191DD81C7F70A4B28688A362182986F"

  Scenario: a compressed body is checked as its decoded text
    Given URL path "/api/gzip"
    When the URL is invoked
    Then header "Content-Encoding" is "gzip"
    And response body contains "compressed"
