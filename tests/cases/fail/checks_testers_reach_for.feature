Feature: The checks testers reach for, failing twin
  The same checks as pass/checks_testers_reach_for.feature, each expecting the opposite.
  Every scenario must fail.

  Background:
    Given address "@address"

  Scenario: a status of another class
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then status is "4xx"

  Scenario: a status class that is no class
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then status is "6xx"

  Scenario: a redirect that is not followed is a 302
    Given redirects are not followed
    And URL path "/api/redirect/1"
    When the URL is invoked
    Then status is "200"

  Scenario: storing a header the response does not have
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then I store header "Location" under "next"

  Scenario: a response time no server meets
    Given URL path "/api/delay/50"
    When the URL is invoked
    Then response time is under "1" ms

  Scenario: a response time that is no number
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then response time is under "soon" ms

  Scenario: the body does not contain the text
    Given URL path "/api/text"
    When the URL is invoked
    Then response body contains "Goodbye"

  Scenario: the body contains what it must not
    Given URL path "/api/text"
    When the URL is invoked
    Then response body does not contain "Hello"

  Scenario: the body does not match the regex
    Given URL path "/api/text"
    When the URL is invoked
    Then response body matches the regex "^Goodbye"

  Scenario: the body is of another size
    Given URL path "/api/text"
    When the URL is invoked
    Then response body size is "12"

  Scenario: a size that is no number
    Given URL path "/api/text"
    When the URL is invoked
    Then response body size is "big"

  Scenario: the body has another digest
    Given URL path "/api/text"
    When the URL is invoked
    Then response body SHA-256 is "0000000000000000000000000000000000000000000000000000000000000000"

  Scenario: a digest that is no SHA-256
    Given URL path "/api/text"
    When the URL is invoked
    Then response body SHA-256 is "abc"
