@http
Feature: Request and response formats
  `format` (or `request format`) says how the request body is written: JSON, XML, RAW or
  FORM; it is also how the response is read unless `response format` says otherwise.
  Responses read as JSON can be checked path by path or as a whole document; responses read
  as text (RAW, XML) are compared as text.

  Background:
    Given address "@address"

  @smoke
  Scenario: A plain-text response is compared as text
    Given URL path "/api/text"
    And response format "RAW"
    When the URL is invoked
    Then status is "200"
    And header "Content-Type" is "text/plain"
    And response is equal to "Hello, World!"

  Scenario: An XML request is sent as written and its echo compared as text
    Given URL path "/api/xml/echo"
    And REST method "POST"
    And request format "XML"
    And request is "<employee><name>John Doe</name></employee>"
    When the URL is invoked
    Then status is "200"
    And header "Content-Type" is "application/xml"
    And response is equal to "<employee><name>John Doe</name></employee>"

  Scenario: A JSON request can be written as a doc string
    Given URL path "/api/echo"
    And REST method "POST"
    And format "JSON"
    And request is ""
      """
      {
        "name": "John Doe",
        "department": "HR",
        "tags": ["manager", "mentor"]
      }
      """
    When the URL is invoked
    Then path "/json/name" is "John Doe"
    And path "/json/tags" contains ""mentor""

  Scenario: Form fields are sent URL-encoded, a repeated name giving several values
    Given URL path "/api/echo"
    And REST method "POST"
    And format "FORM"
    And form field "name" is "Jane Roe"
    And form field "skill" is "payroll"
    And form field "skill" is "audit"
    When the URL is invoked
    Then status is "200"
    And path "/headers/content-type" is "application/x-www-form-urlencoded"
    And path "/form/name" is "Jane Roe"
    And path "/form/skill" is a list "payroll, audit"

  Scenario: Cleaning up the form drops the fields set so far
    Given URL path "/api/echo"
    And REST method "POST"
    And form field "name" is "Jane Roe"
    And form is cleaned up
    And form field "department" is "Payroll"
    When the URL is invoked
    Then path "/form" is JSON "{"department": "Payroll"}"

  Scenario: A whole JSON response is compared with a document, in any key order
    Given URL path "/api/headers/set"
    And query string "?department=HR&name=John+Doe"
    When the URL is invoked
    Then JSON response exists
    And JSON response is equal to "{"name": "John Doe", "department": "HR"}"

  Scenario: A whole JSON response can be written as a doc string
    Given URL path "/api/status/201"
    When the URL is invoked
    Then status is "201"
    And JSON response is equal to ""
      """
      {"status": 201}
      """

  Scenario: A response with no body has no JSON
    Given URL path "/api/status/204"
    When the URL is invoked
    Then status is "204"
    And JSON response does not exist
