Feature: Sending the request
  `When the URL is invoked` sends what the steps before it built, and each call replaces the
  response the checks read.

  Background:
    Given address "@address"

  Scenario: The URL is invoked and the response is kept
    Given URL path "/api/status/200"
    When the URL is invoked
    Then status is "200"

  Scenario: A second call replaces the first response
    Given URL path "/api/status/201"
    When the URL is invoked
    Then status is "201"
    Given URL path "/api/status/202"
    When the URL is invoked
    Then status is "202"

  Scenario: A URL path without a leading slash is joined with one
    Given URL path "api/status/200"
    When the URL is invoked
    Then status is "200"

  Scenario: A slow answer within the timeout arrives
    Given URL path "/api/delay/300"
    And timeout "5"
    When the URL is invoked
    Then status is "200"

  Scenario: Redirects are followed
    Given URL path "/api/redirect/3"
    When the URL is invoked
    Then status is "200"
    And path "/redirected" is True

  Scenario: A gzip-compressed answer is decompressed
    Given URL path "/api/gzip"
    When the URL is invoked
    Then status is "200"
    And JSON response exists

  Scenario: turning TLS verification off changes nothing for plain HTTP
    Given address "@address"
    And TLS certificates are not verified
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then status is "200"
