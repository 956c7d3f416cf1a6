Feature: Steps that read a data table
  Several headers, query parameters, form fields or JSON fields set at once, and several paths
  checked at once; each row does what the one-line step does.

  Background:
    Given address "@address"
    And URL path "/api/echo"

  Scenario: request headers from a table, their values resolved
    Given I store "qa-suite" under "client"
    And request headers are:
      | name     | value     |
      | X-Team   | payroll   |
      | X-Client | #{client} |
    When the URL is invoked
    Then the response has:
      | path              | is       |
      | /headers/x-team   | payroll  |
      | /headers/x-client | qa-suite |
      | /method           | GET      |

  Scenario: query parameters from a table, after a query string
    Given query string "?page=1"
    And query parameters are:
      | name       | value        |
      | department | Human Res&co |
      | q          | a/b é        |
    When the URL is invoked
    Then the response has:
      | path             | is           |
      | /args/page       | 1            |
      | /args/department | Human Res&co |
      | /args/q          | a/b é        |

  Scenario: form fields from a table
    Given REST method "POST"
    And form fields are:
      | name       | value    |
      | name       | Jane Roe |
      | department | Payroll  |
    When the URL is invoked
    Then status is "200"
    And the response has:
      | path             | is       |
      | /form/name       | Jane Roe |
      | /form/department | Payroll  |

  Scenario: JSON fields from a table, starting from an empty body
    Given REST method "POST"
    And JSON fields in request are:
      | path         | value    |
      | /name        | Jane Roe |
      | /address     | {}       |
    And path "/floor" in request is an integer "3"
    When the URL is invoked
    Then the response has:
      | path         | is       |
      | /json/name   | Jane Roe |
      | /json/address | {}      |
    And path "/json/floor" is an integer "3"
