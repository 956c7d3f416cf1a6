Feature: Steps that read a data table, failing
  Every scenario fails: a wrong value in a checked row, several wrong rows, a row that cannot be
  sent, a table without its column names, a table step without a table.

  Background:
    Given address "@address"
    And URL path "/api/echo"

  Scenario: a header from a table that was not sent as checked
    Given request headers are:
      | name   | value   |
      | X-Team | payroll |
    When the URL is invoked
    Then the response has:
      | path            | is    |
      | /headers/x-team | sales |

  Scenario: two query parameters checked wrong, both listed
    Given query parameters are:
      | name | value |
      | a    | 1     |
      | b    | 2     |
    When the URL is invoked
    Then the response has:
      | path    | is |
      | /args/a | 1  |
      | /args/b | 3  |
      | /args/c | 4  |

  Scenario: a form field from a table checked wrong
    Given REST method "POST"
    And form fields are:
      | name | value    |
      | name | Jane Roe |
    When the URL is invoked
    Then the response has:
      | path       | is       |
      | /form/name | John Doe |

  Scenario: a JSON field from a table checked wrong
    Given REST method "POST"
    And JSON fields in request are:
      | path  | value    |
      | /name | Jane Roe |
    When the URL is invoked
    Then the response has:
      | path       | is       |
      | /json/name | John Doe |

  Scenario: a header row that is not a header
    Given request headers are:
      | name      | value |
      | Bad Name! | x     |
    When the URL is invoked

  Scenario: a table without its column names
    Given request headers are:
      | X-Team | payroll |
    When the URL is invoked

  Scenario: a table step without its table
    Given form fields are:
    When the URL is invoked
