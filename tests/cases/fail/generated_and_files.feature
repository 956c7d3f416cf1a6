Feature: Generated values, Base64 and data files, wrongly
  Every scenario must fail.

  Background:
    Given address "@address"

  Scenario: a UUID4 is not an integer
    Given URL path "/api/echo"
    And REST method "POST"
    And request is "{}"
    And path "/id" in request is a UUID4
    When the URL is invoked
    Then path "/json/id" is an integer

  Scenario: Base64 of other text
    Given I encode "hr:wrong" using Base64 under "credentials"
    Then variable "#credentials" is a string "aHI6aHItc2VjcmV0LXB3"

  Scenario: a data file that differs
    Given URL path "/api/employee/get/124"
    When the URL is invoked
    Then path "/data" is JSON equal to that from "employee_123.json"

  Scenario: a list without the data file's element
    Given URL path "/api/employee/list"
    And query string "?department=Payroll"
    When the URL is invoked
    Then path "/data" contains data from "employee_123.json"

  Scenario: a text response that differs from the file
    Given URL path "/api/status/200"
    And response format "RAW"
    When the URL is invoked
    Then response is equal to that from "hello.txt"

  Scenario: a JSON response that differs from the file
    Given URL path "/api/employee/get/124"
    When the URL is invoked
    Then response is equal to that from "employee_123.json"

  Scenario: a data file that does not exist
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then path "/data" is JSON equal to that from "nobody.json"

  Scenario: a wrong Crockford check symbol
    Given URL path "/api/echo"
    And REST method "POST"
    And request is "{"checked": "16JE"}"
    When the URL is invoked
    Then path "/json/checked" is a BASE32 Crockford, checksum "true"

  Scenario: not Crockford at all
    Given URL path "/api/echo"
    And REST method "POST"
    And request is "{"code": "U-boot"}"
    When the URL is invoked
    Then path "/json/code" is a BASE32 Crockford, checksum "false"
