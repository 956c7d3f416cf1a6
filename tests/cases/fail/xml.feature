Feature: XML with XPath, wrongly
  Every scenario must fail.

  Background:
    Given address "@address"
    And URL path "/api/xml/employee/123"
    And response format "XML"

  Scenario: a wrong text
    When the URL is invoked
    Then XPath "/employee/name" is "Jane Roe"

  Scenario: a wrong integer
    When the URL is invoked
    Then XPath "/employee/employee_no" is an integer "124"

  Scenario: text is not an integer
    When the URL is invoked
    Then XPath "/employee/name" is any integer

  Scenario: a path that selects nothing
    When the URL is invoked
    Then XPath "/employee/manager" is "x"

  Scenario: a node that should not exist
    When the URL is invoked
    Then XPath "/employee/name" does not exist

  Scenario: a node that should exist
    When the URL is invoked
    Then XPath "/employee/manager" exists

  Scenario: an invalid XPath
    When the URL is invoked
    Then XPath "/employee/[" is "x"

  Scenario: XPath on a JSON response
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then XPath "/employee/name" is "John Doe"

  Scenario: setting a node the request does not have
    Given format "XML"
    And request is "<employee><name>x</name></employee>"
    And XPath "/employee/manager" in request is "y"

  Scenario: setting XPath on a request with no XML body
    Given XPath "/employee/name" in request is "y"

  Scenario: a prefix that was never registered
    When the URL is invoked
    Then XPath "/emp:employee/emp:name" is "John Doe"
