@http
Feature: Request and response headers
  Headers sent with `header "Name" "value"` and `user agent is` reach the server (checked
  through /api/echo, which returns the request headers with lower-case names), and every
  response-header check works on headers set through /api/headers/set?Name=Value.
  Header names are matched in any letter case.

  Background:
    Given address "@address"

  @smoke
  Scenario: Request headers and the user agent reach the server
    Given URL path "/api/echo"
    And header "X-Client" "qa-suite"
    And header "X-Trace" "first"
    And header "X-Trace" "second"
    And user agent is "apitest-examples/1.0"
    When the URL is invoked
    Then status is "200"
    And path "/headers/x-client" is "qa-suite"
    And path "/headers/x-trace" is "second"
    And path "/headers/user-agent" is "apitest-examples/1.0"
    And path "/headers" is an object

  Scenario: Without a user agent step, apitest names itself
    Given URL path "/api/echo"
    When the URL is invoked
    Then path "/headers/user-agent" starts with "apitest/"

  Scenario: Checks on the value of a response header
    Given URL path "/api/headers/set"
    And query string "?X-Team=Payroll&X-Empty="
    When the URL is invoked
    Then status is "200"
    And header "Content-Type" is "application/json"
    And header "content-type" is not "text/html"
    And header "Content-Type" isn't "application/xml"
    And header "Content-Type" contains "json"
    And header "Content-Type" does not contain "xml"
    And header "Content-Type" doesn't contain "html"
    And header "Content-Type" starts with "application/"
    And header "Content-Type" does not start with "text/"
    And header "Content-Type" doesn't start with "image/"
    And header "Content-Type" ends with "json"
    And header "Content-Type" does not end with "xml"
    And header "Content-Type" doesn't end with "html"
    And header "X-Team" is "Payroll"

  Scenario: Checks on the presence of a response header
    Given URL path "/api/headers/set"
    And query string "?X-Team=Payroll&X-Empty="
    When the URL is invoked
    Then header "X-Request-Id" exists
    And header "X-Request-Id" is not empty
    And header "X-Empty" exists
    And header "X-Empty" is empty
    And header "X-Debug" does not exist
    And header "X-Debug-Mode" doesn't exist
    And path "/X-Team" is "Payroll"
    And path "/X-Empty" is empty
