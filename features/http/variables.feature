@variables
Feature: Stored values and housekeeping
  `I store` keeps a value (text, or a value read from the response with its JSON type) under
  a name, read later as `#name`, or inside longer text as `#{name}`. Housekeeping steps
  reset the request, drop form fields, log the stored values (shown with `-v`) or do nothing.

  Background:
    Given address "@address"

  Scenario: A value read from the response keeps its type
    Given URL path "/api/employee/get/124"
    When the URL is invoked
    Then I store "/data/employee_no" from response under "employee_no"
    And I store "/data/name" from response under "name"
    And path "/data/employee_no" is "#employee_no"
    And path "/data/name" is "#name"
    And context is logged

  Scenario: A path that is not in the response stores the default instead
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then I store "/data/nickname" from response under "nickname", default "none"
    And I store "/data/name" from response under "name", default "unknown"

    Given URL path "/api/echo"
    And query string "?nickname=#{nickname}&name=#{name}"
    When the URL is invoked
    Then path "/args/nickname" is "none"
    And path "/args/name" is "John Doe"

  Scenario: Stored text can be used in the URL, the query string and headers
    Given I store "123" under "employee"
    And I store "HR" under "department"
    And URL path "/api/echo/employee/#{employee}"
    And query string "?department=#{department}"
    And header "X-Department" "#department"
    When the URL is invoked
    Then path "/path" is "/api/echo/employee/123"
    And path "/query" is "department=HR"
    And path "/headers/x-department" is "HR"

  Scenario: Cleaning up the context forgets the request built so far
    Given URL path "/api/employee/get/123"
    And REST method "POST"
    And user agent is "qa-suite/2.0"
    And request is "{"name": "John Doe"}"
    Then context is cleaned up

    Given address "@address"
    And URL path "/api/echo"
    When the URL is invoked
    Then path "/method" is "GET"
    And path "/body" is empty
    And path "/headers/user-agent" starts with "apitest/"

  Scenario: Steps that do nothing keep a scenario readable
    Given I store "Payroll" under "department"
    When this step is invoked
    And this scenario is invoked
    Then I proceed further

  Scenario: Check stored values by type, with Python literals as Zato suites write them
    Given URL path "/api/echo"
    Given REST method "POST"
    Given request is "{"tags": ["a", "b"], "ok": true, "off": false, "none": [], "ratio": 0.5, "extra": {"k": 1}}"
    Given path "/ids" in request is "[1, 2, 3]" (with literal_eval)
    When the URL is invoked
    Then path "/json/ids" is "[1, 2, 3]" (with literal_eval)
    And path "/json/tags" is "['a', 'b']" (with literal_eval)
    And I store "/json/tags" from response under "tags"
    And I store "/json/ok" from response under "ok"
    And I store "/json/off" from response under "off"
    And I store "/json/none" from response under "none"
    And I store "/json/ratio" from response under "ratio"
    And I store "/json/extra" from response under "extra"
    And I store "/json/ids/0" from response under "first"
    And I store "Jane Roe" under "name"
    And I store "9f3c2a4e-1b2d-4c5e-8f6a-7b8c9d0e1f2a" under "request_id"
    Then variable "#tags" is a list "['a', 'b']"
    And variable "#tags" is any list
    And variable "#ok" is True
    And variable "#off" is False
    And variable "#ok" is any Boolean
    And variable "#none" is an empty list
    And variable "#ratio" is a float "0.5"
    And variable "#ratio" is any float
    And variable "#first" is an integer "1"
    And variable "#first" is any integer
    And variable "#name" is a string "Jane Roe"
    And variable "#name" is any string
    And variable "#extra" is any dict
    And variable "#request_id" is any UUID4
    Given URL path "/api/employee/get/123"
    Given REST method "GET"
    When the URL is invoked
    Then path "/meta/cid" is a uuid
