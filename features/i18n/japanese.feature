# language: ja
機能: 従業員API（日本語のキーワード）
  キーワードはファイルの言語のもの、ステップの文は英語のままです。

  背景:
    前提 address "@address"

  シナリオ: 従業員を一人取得する
    前提 URL path "/api/employee/get/123"
    かつ REST method "GET"
    もし the URL is invoked
    ならば status is "200"
    かつ path "/data/name" is "John Doe"

  シナリオアウトライン: 従業員<番号>を取得する
    前提 URL path "/api/employee/get/<番号>"
    もし the URL is invoked
    ならば path "/data/department" is "<部署>"

    例:
      | 番号 | 部署 |
      | 123  | HR   |
