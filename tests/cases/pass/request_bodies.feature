Feature: Request bodies say what they are
  Every format sends its Content-Type unless the feature sets one, and a doc-string body
  resolves references as the inline form does.

  Background:
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"

  Scenario: a form body written inline is sent as a form
    Given format "FORM"
    And request is "name=Jane&department=HR"
    When the URL is invoked
    Then path "/headers/content-type" is "application/x-www-form-urlencoded"
    And path "/form/name" is "Jane"
    And path "/form/department" is "HR"

  Scenario: an XML body written inline is sent as XML
    Given format "XML"
    And request is "<employee><name>Jane</name></employee>"
    When the URL is invoked
    Then path "/headers/content-type" is "application/xml"
    And path "/body" is "<employee><name>Jane</name></employee>"

  Scenario: a Content-Type set by the feature wins
    Given format "XML"
    And header "Content-Type" "text/xml; charset=utf-8"
    And request is "<a/>"
    When the URL is invoked
    Then path "/headers/content-type" is "text/xml; charset=utf-8"

  Scenario: a doc-string body resolves references
    Given I store "Jane" under "who"
    And request is
      """
      {"name": "#{who}", "address": "@{address}"}
      """
    When the URL is invoked
    Then path "/json/name" is "Jane"
    And path "/json/address" starts with "http://127.0.0.1:"
