<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>ArchitectureDialog</name>
    <message>
        <source>Edit architecture</source>
        <translation>構成の編集</translation>
    </message>
    <message>
        <source>The network as a model file holds it: one layer per line, from the 28×28 input to the 10 outputs. Change the layers or their sizes; each layer must fit the one before it.</source>
        <translation>モデルファイルに保存されるとおりのネットワークです。28×28 の入力から 10 個の出力まで、1 行に 1 層ずつ書かれています。層やその大きさを変更できます。各層は直前の層に合っている必要があります。</translation>
    </message>
    <message>
        <source>The text {0}.</source>
        <translation>テキストの問題：{0}。</translation>
    </message>
    <message numerus="yes">
        <source>✓ {0}: %n layer(s), {1:,} weights and biases.</source>
        <translation>
            <numerusform>✓ {0}：%n 層、重みとバイアス {1:,} 個。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CanvasView</name>
    <message>
        <source>Drawing canvas</source>
        <translation>描画キャンバス</translation>
    </message>
    <message>
        <source>Draw a digit with the mouse or a pen.
Esc: clear   Ctrl+Z: undo the last stroke</source>
        <translation>マウスかペンで数字を書いてください。
Esc：消去   Ctrl+Z：最後の一画を取り消す</translation>
    </message>
    <message>
        <source>Draw a digit here</source>
        <translation>ここに数字を書いてください</translation>
    </message>
</context>
<context>
    <name>Classes</name>
    <message>
        <source>not a digit</source>
        <translation>数字ではない</translation>
    </message>
</context>
<context>
    <name>ComparisonPlot</name>
    <message>
        <source>Loss (smoothed)</source>
        <translation>損失（平滑化）</translation>
    </message>
    <message>
        <source>Accuracy (%)</source>
        <translation>正解率（%）</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>エポック</translation>
    </message>
</context>
<context>
    <name>ConfusionView</name>
    <message>
        <source>Test results</source>
        <translation>テスト結果</translation>
    </message>
    <message>
        <source>Evaluate on the test set</source>
        <translation>テストデータで評価</translation>
    </message>
    <message>
        <source>Recognise the 10,000 MNIST test digits with the model on show</source>
        <translation>表示中のモデルで MNIST のテスト画像 10,000 枚を認識します</translation>
    </message>
    <message>
        <source>Evaluating… %p%</source>
        <translation>評価中… %p%</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Rows: the true digit · columns: the network&apos;s answer</source>
        <translation>行：正解の数字 · 列：ネットワークの答え</translation>
    </message>
    <message>
        <source>No results yet: evaluate the model on the test set, or train it (the matrix then follows each epoch).</source>
        <translation>まだ結果がありません。テストデータでモデルを評価するか、学習させてください（学習中は毎エポック更新されます）。</translation>
    </message>
    <message>
        <source>After epoch {0} of {1}</source>
        <translation>エポック {0}/{1} の後</translation>
    </message>
    <message>
        <source>The model on show</source>
        <translation>表示中のモデル</translation>
    </message>
    <message>
        <source>Digits of the cell</source>
        <translation>選んだマスの数字</translation>
    </message>
    <message>
        <source>How sure, how right</source>
        <translation>確信度と正しさ</translation>
    </message>
    <message>
        <source>The reliability diagram and the expected calibration error</source>
        <translation>信頼性図と期待較正誤差</translation>
    </message>
    <message>
        <source>{0}: {1:,} of {2:,} test digits right ({3:.2%}).</source>
        <translation>{0}：テスト画像 {2:,} 枚中 {1:,} 枚が正解（{3:.2%}）。</translation>
    </message>
    <message>
        <source>Refused as not a digit: {0}.</source>
        <translation>「数字ではない」と答えた割合：{0}。</translation>
    </message>
    <message>
        <source>right</source>
        <translation>正解率</translation>
    </message>
    <message>
        <source>{0:,} test digits “{1}” read as “{2}”; click to see them</source>
        <translation>「{1}」のテスト画像のうち {0:,} 枚を「{2}」と認識。クリックで一覧を表示</translation>
    </message>
    <message>
        <source>{0:,} of the {1:,} test digits “{2}” were recognised</source>
        <translation>「{2}」のテスト画像 {1:,} 枚中 {0:,} 枚を正しく認識</translation>
    </message>
    <message>
        <source>{0:,} test digits “{1}” recognised, the least sure first</source>
        <translation>「{1}」と正しく認識したテスト画像 {0:,} 枚（確信度の低い順）</translation>
    </message>
    <message>
        <source>{0:,} test digits “{1}” read as “{2}”, the surest mistakes first</source>
        <translation>「{1}」を「{2}」と誤認識したテスト画像 {0:,} 枚（確信度の高い誤りから順に）</translation>
    </message>
    <message>
        <source>{0} (the first {1} shown)</source>
        <translation>{0}（先頭の {1} 枚を表示）</translation>
    </message>
    <message>
        <source>Test digit #{0}: a “{1}”. The network says “{2}” ({3:.1%}), then “{4}” ({5:.1%}); “{1}” gets {6:.1%}.</source>
        <translation>テスト画像 #{0}：正解は「{1}」。ネットワークの答えは「{2}」（{3:.1%}）、次点は「{4}」（{5:.1%}）。「{1}」の確率は {6:.1%}。</translation>
    </message>
</context>
<context>
    <name>DiagnosisCard</name>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; (at step {1:,})</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;（ステップ {1:,}）</translation>
    </message>
    <message>
        <source>Try: {0}</source>
        <translation>試すこと：{0}</translation>
    </message>
    <message>
        <source>No change of the settings is known to help.</source>
        <translation>効果のわかっている設定の変更はありません。</translation>
    </message>
    <message>
        <source>Apply to the next run</source>
        <translation>次の学習に適用</translation>
    </message>
    <message>
        <source>Change the training settings this way; the next Start uses them</source>
        <translation>学習の設定をこのように変更します。次に開始する学習で使われます</translation>
    </message>
    <message>
        <source>Applied ✓</source>
        <translation>適用済み ✓</translation>
    </message>
</context>
<context>
    <name>DiagnosticsView</name>
    <message>
        <source>Train with “Measure each layer” on to see inside each layer here.</source>
        <translation>「各層を測定」をオンにして学習すると、ここで各層の中の様子がわかります。</translation>
    </message>
    <message>
        <source>The layer whose weights the histogram shows</source>
        <translation>ヒストグラムに重みを表示する層</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>勾配</translation>
    </message>
    <message>
        <source>Updates</source>
        <translation>更新量</translation>
    </message>
    <message>
        <source>Dead units</source>
        <translation>死んだユニット</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>重み</translation>
    </message>
    <message>
        <source>Weights of</source>
        <translation>重みを表示する層：</translation>
    </message>
    <message>
        <source>Gradient norm ‖∂E/∂w‖ per layer</source>
        <translation>層ごとの勾配のノルム ‖∂E/∂w‖</translation>
    </message>
    <message>
        <source>step</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <source>Update / weight ‖Δw‖/‖w‖</source>
        <translation>更新量と重みの比 ‖Δw‖/‖w‖</translation>
    </message>
    <message>
        <source>Dead ReLUs (%)</source>
        <translation>死んだ ReLU（%）</translation>
    </message>
    <message>
        <source>Weights: now and at the start</source>
        <translation>重み：現在と開始時</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>重み</translation>
    </message>
    <message>
        <source>now</source>
        <translation>現在</translation>
    </message>
    <message>
        <source>at the start</source>
        <translation>開始時</translation>
    </message>
    <message>
        <source>The layers of {0}, as it trains.</source>
        <translation>学習中の {0} の各層。</translation>
    </message>
    <message>
        <source>This run does not measure its layers: switch on “Measure each layer” (Learning) and start again.</source>
        <translation>この学習では各層を測定していません。「学習方法」ページの「各層を測定」をオンにして、もう一度開始してください。</translation>
    </message>
    <message>
        <source>Dead ReLUs (%): this network has no ReLU</source>
        <translation>死んだ ReLU（%）：このネットワークには ReLU がありません</translation>
    </message>
    <message>
        <source>The first layer&apos;s gradient is {0:,.0f} times smaller than the last layer&apos;s (median of the latest steps).</source>
        <translation>最初の層の勾配は最後の層の {0:,.0f} 分の 1 です（直近のステップの中央値）。</translation>
    </message>
    <message>
        <source>The first layer&apos;s gradient is {0:.2g} times the last layer&apos;s (median of the latest steps).</source>
        <translation>最初の層の勾配は最後の層の {0:.2g} 倍です（直近のステップの中央値）。</translation>
    </message>
</context>
<context>
    <name>DigitScoreView</name>
    <message>
        <source>This model never answers “not a digit”.</source>
        <translation>このモデルは「数字ではない」とは答えません。</translation>
    </message>
    <message>
        <source>How much the drawing looks like a digit at all. Under the mark ({0:.0%}) the model answers “not a digit”.</source>
        <translation>絵がそもそもどれだけ数字らしいか。印（{0:.0%}）より下なら、モデルは「数字ではない」と答えます。</translation>
    </message>
    <message>
        <source>Looks like a digit: – (not a digit under {0:.0%})</source>
        <translation>数字らしさ：–（{0:.0%} 未満は「数字ではない」）</translation>
    </message>
    <message>
        <source>Looks like a digit: {0:.0%} (not a digit under {1:.0%})</source>
        <translation>数字らしさ：{0:.0%}（{1:.0%} 未満は「数字ではない」）</translation>
    </message>
</context>
<context>
    <name>Doctor</name>
    <message>
        <source>The loss exploded at step {step:,} (it became {loss:.3g}): the learning rate {lr:g} makes the steps overshoot.</source>
        <translation>ステップ {step:,} で損失が発散しました（{loss:.3g} になりました）。学習率 {lr:g} では一歩が大きすぎて行き過ぎます。</translation>
    </message>
    <message>
        <source>The loss went down to {best:.3f} and is back up at {now:.3f} (mean of the last {window} batches): the learning rate {lr:g} is too high, the steps overshoot the minimum.</source>
        <translation>損失は {best:.3f} まで下がった後、{now:.3f} に戻っています（直近 {window} バッチの平均）。学習率 {lr:g} が大きすぎ、一歩が極小点を飛び越えています。</translation>
    </message>
    <message>
        <source>After {steps:,} steps the loss has fallen only {drop:.1%} (from {start:.3f} to {now:.3f}): the learning rate {lr:g} is too low, the weights hardly move.</source>
        <translation>{steps:,} ステップ学習しても損失は {drop:.1%} しか下がっていません（{start:.3f} から {now:.3f}）。学習率 {lr:g} が小さすぎ、重みがほとんど動きません。</translation>
    </message>
    <message>
        <source>The gradient reaching the first layer is {ratio:,.0f} times smaller than the last layer&apos;s: it vanishes on its way back through the {activation} layers, and the first layers hardly learn.</source>
        <translation>最初の層に届く勾配は最後の層の {ratio:,.0f} 分の1しかありません。勾配が {activation} の層を逆にたどるうちに消失し、最初の方の層はほとんど学習しません（勾配消失）。</translation>
    </message>
    <message>
        <source>{share:.0%} of the units of layer {layer} are dead: their ReLU gives 0 for every image, so they no longer learn. Too large steps often push them there.</source>
        <translation>層 {layer} のユニットの {share:.0%} が死んでいます。ReLU がどの画像にも 0 を出すので、もう学習しません。大きすぎる更新がよくこの原因になります。</translation>
    </message>
    <message>
        <source>The network is overfitting: the validation loss was lowest at epoch {best_epoch} ({best:.3f}) and has risen to {now:.3f}, while the training loss kept falling to {train:.3f}. It is learning the training images by heart.</source>
        <translation>過学習しています。検証損失はエポック {best_epoch} で最小（{best:.3f}）になった後 {now:.3f} まで上がり、訓練損失は {train:.3f} まで下がり続けています。訓練画像を丸暗記しています。</translation>
    </message>
    <message>
        <source>The loss has not improved for {steps:,} steps (it stays near {loss:.3f}) and the training accuracy is stuck at {accuracy:.1%}.</source>
        <translation>{steps:,} ステップの間、損失が改善していません（{loss:.3f} 付近のまま）。訓練正解率も {accuracy:.1%} で止まっています。</translation>
    </message>
    <message>
        <source>Divide the learning rate by 10 ({old:g} → {new:g})</source>
        <translation>学習率を 10 分の 1 にする（{old:g} → {new:g}）</translation>
    </message>
    <message>
        <source>Multiply the learning rate by 10 ({old:g} → {new:g})</source>
        <translation>学習率を 10 倍にする（{old:g} → {new:g}）</translation>
    </message>
    <message>
        <source>Use ReLU instead of {activation} (the initial weights follow: He instead of Glorot)</source>
        <translation>{activation} の代わりに ReLU を使う（初期値もそれに合わせ、Glorot ではなく He の初期値になります）</translation>
    </message>
    <message>
        <source>Add dropout ({p:.0%} of the units, at random)</source>
        <translation>ドロップアウトを加える（ユニットの {p:.0%} をランダムに）</translation>
    </message>
    <message>
        <source>Train on randomly shifted and rotated copies</source>
        <translation>ランダムに移動・回転させた画像で学習する（データ拡張）</translation>
    </message>
    <message>
        <source>Add weight decay ({decay:g})</source>
        <translation>重み減衰を加える（{decay:g}）</translation>
    </message>
    <message>
        <source>Use Adam (learning rate {lr:g})</source>
        <translation>Adam を使う（学習率 {lr:g}）</translation>
    </message>
    <message>
        <source>Use the one-cycle learning-rate schedule</source>
        <translation>学習率をワンサイクルで変える</translation>
    </message>
</context>
<context>
    <name>DoctorPanel</name>
    <message>
        <source>The learning rate is too high</source>
        <translation>学習率が高すぎます</translation>
    </message>
    <message>
        <source>The learning rate is too low</source>
        <translation>学習率が低すぎます</translation>
    </message>
    <message>
        <source>Overfitting</source>
        <translation>過学習</translation>
    </message>
    <message>
        <source>Vanishing gradients</source>
        <translation>勾配消失</translation>
    </message>
    <message>
        <source>Dead units</source>
        <translation>死んだユニット</translation>
    </message>
    <message>
        <source>The run has stalled</source>
        <translation>学習が停滞しています</translation>
    </message>
    <message>
        <source>Learning rate too high</source>
        <translation>学習率が高すぎる</translation>
    </message>
    <message>
        <source>Learning rate too low</source>
        <translation>学習率が低すぎる</translation>
    </message>
    <message>
        <source>Stalled run</source>
        <translation>学習の停滞</translation>
    </message>
    <message>
        <source>found at step {0:,}</source>
        <translation>ステップ {0:,} で発見</translation>
    </message>
    <message>
        <source>not measured: switch on “Measure each layer”</source>
        <translation>測定なし：「各層を測定」をオンにしてください</translation>
    </message>
    <message>
        <source>not seen so far</source>
        <translation>今のところなし</translation>
    </message>
    <message>
        <source>not seen</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>What the doctor watched:</source>
        <translation>ドクターが見たこと：</translation>
    </message>
    <message>
        <source>The doctor watches this run: nothing wrong so far.</source>
        <translation>ドクターがこの学習を見ています。今のところ問題はありません。</translation>
    </message>
    <message numerus="yes">
        <source>The doctor watches this run and found %n problem(s):</source>
        <translation>
            <numerusform>ドクターがこの学習を見ていて、%n 個の問題を見つけました：</numerusform>
        </translation>
    </message>
    <message>
        <source>The training doctor watches each run started here and says what goes wrong and what to try. Nothing found in the latest run.</source>
        <translation>学習ドクターは、ここで開始した学習をそれぞれ見守り、何がうまくいっていないか、何を試せばよいかを教えます。直近の学習では何も見つかりませんでした。</translation>
    </message>
    <message numerus="yes">
        <source>In the latest run the doctor found %n problem(s):</source>
        <translation>
            <numerusform>直近の学習でドクターが見つけた問題（%n 個）：</numerusform>
        </translation>
    </message>
    <message>
        <source>Applied to the settings: {0}. Start a new run to try it.</source>
        <translation>設定に適用しました：{0}。新しい学習を開始して試してください。</translation>
    </message>
    <message>
        <source>Could not apply “{0}”: {1}</source>
        <translation>「{0}」を適用できませんでした：{1}</translation>
    </message>
</context>
<context>
    <name>DrawingPanel</name>
    <message>
        <source>The network sees</source>
        <translation>ネットワークへの入力</translation>
    </message>
    <message>
        <source>Pen width</source>
        <translation>ペンの太さ</translation>
    </message>
    <message>
        <source>Pen</source>
        <translation>ペン</translation>
    </message>
    <message>
        <source>{0} px</source>
        <translation>{0} px</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>取り消す</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>消去</translation>
    </message>
    <message>
        <source>This network has not been trained yet, so its answers are guesses. Train it on the right, or open a trained model (File ▸ Open).</source>
        <translation>このネットワークはまだ学習していないので、答えは当てずっぽうです。右側で学習させるか、学習済みモデルを開いてください（ファイル ▸ 開く）。</translation>
    </message>
</context>
<context>
    <name>EpochsView</name>
    <message>
        <source>Your drawing across the epochs</source>
        <translation>エポックごとの描いた数字</translation>
    </message>
    <message>
        <source>The epoch whose weights are shown</source>
        <translation>重みを表示するエポック</translation>
    </message>
    <message>
        <source>Probabilities at this epoch</source>
        <translation>このエポックでの確率</translation>
    </message>
    <message>
        <source>Probability of each digit, epoch by epoch</source>
        <translation>各数字の確率のエポックごとの変化</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>エポック</translation>
    </message>
    <message>
        <source>Draw a digit to see it through the epochs</source>
        <translation>数字を書くと、エポックごとの様子を表示します</translation>
    </message>
    <message>
        <source>Feature maps of</source>
        <translation>特徴マップ：</translation>
    </message>
    <message>
        <source>No epochs to show. The weights of each epoch are kept for a network trained in this window; a model file holds only its final weights. Train a network (Training tab) to follow your drawing through its epochs.</source>
        <translation>表示するエポックがありません。各エポックの重みは、このウィンドウで学習したネットワークについてだけ保存されます。モデルファイルには最終的な重みしか入っていません。「学習」タブでネットワークを学習させると、描いた数字をエポックごとにたどれます。</translation>
    </message>
    <message>
        <source>after epoch {0} of {1}</source>
        <translation>エポック {0}/{1} の後</translation>
    </message>
    <message>
        <source>{0}: test accuracy {1}</source>
        <translation>{0}：テスト正解率 {1}</translation>
    </message>
    <message>
        <source>saliency of “{0}” ({1})</source>
        <translation>「{0}」のサリエンシー（{1}）</translation>
    </message>
    <message>
        <source>Red: more ink here would make “{0}” more likely; blue: less</source>
        <translation>赤：ここにインクを足すと「{0}」らしさが増す。青：減る</translation>
    </message>
    <message>
        <source>Channel {0}: {1:.3g} … {2:.3g}</source>
        <translation>チャネル {0}：{1:.3g} … {2:.3g}</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>a whole number from {low} to {high}</source>
        <translation>{low} から {high} までの整数</translation>
    </message>
    <message>
        <source>a whole number above {low} to {high}</source>
        <translation>{low} より大きく {high} 以下の整数</translation>
    </message>
    <message>
        <source>a whole number from {low} below {high}</source>
        <translation>{low} 以上 {high} 未満の整数</translation>
    </message>
    <message>
        <source>a whole number above {low} below {high}</source>
        <translation>{low} より大きく {high} 未満の整数</translation>
    </message>
    <message>
        <source>a number from {low} to {high}</source>
        <translation>{low} から {high} までの数</translation>
    </message>
    <message>
        <source>a number above {low} to {high}</source>
        <translation>{low} より大きく {high} 以下の数</translation>
    </message>
    <message>
        <source>a number from {low} below {high}</source>
        <translation>{low} 以上 {high} 未満の数</translation>
    </message>
    <message>
        <source>a number above {low} below {high}</source>
        <translation>{low} より大きく {high} 未満の数</translation>
    </message>
    <message>
        <source>{path}: {problem}</source>
        <translation>{path}：{problem}</translation>
    </message>
    <message>
        <source>reading images needs Pillow: {command}</source>
        <translation>画像を読むには Pillow が必要です：{command}</translation>
    </message>
    <message>
        <source>no such file</source>
        <translation>ファイルがありません</translation>
    </message>
    <message>
        <source>cannot be opened ({problem})</source>
        <translation>開けません（{problem}）</translation>
    </message>
    <message>
        <source>the image is {width}x{height} pixels, more than the {limit:,} pixels accepted</source>
        <translation>画像が {width}x{height} 画素あり、受け付ける {limit:,} 画素を超えています</translation>
    </message>
    <message>
        <source>the image is larger than the {limit:,} pixels accepted ({problem})</source>
        <translation>画像が受け付ける {limit:,} 画素を超えています（{problem}）</translation>
    </message>
    <message>
        <source>not a readable {formats} image ({kind}: {problem})</source>
        <translation>読み込める {formats} 画像ではありません（{kind}: {problem}）</translation>
    </message>
    <message>
        <source>the image is empty (0 pixels)</source>
        <translation>画像が空です（0 画素）</translation>
    </message>
    <message>
        <source>train</source>
        <translation>訓練</translation>
    </message>
    <message>
        <source>test</source>
        <translation>テスト</translation>
    </message>
    <message>
        <source>{split} arrays must be uint8, got {images} images and {labels} labels</source>
        <translation>{split}データの配列は uint8 でなければなりませんが、画像は {images}、ラベルは {labels} です</translation>
    </message>
    <message>
        <source>{split} images must be (N, {size}, {size}), got {shape}</source>
        <translation>{split}画像の形は (N, {size}, {size}) でなければなりませんが、{shape} です</translation>
    </message>
    <message>
        <source>{count} {split} images but labels of shape {shape}</source>
        <translation>{split}画像が {count} 枚あるのに、ラベルの形が {shape} です</translation>
    </message>
    <message>
        <source>{split} labels must be digits 0..9, found {found}</source>
        <translation>{split}ラベルは 0..9 の数字でなければなりませんが、{found} があります</translation>
    </message>
    <message>
        <source>MNIST is not in {folder}: {problem}
{manual}</source>
        <translation>MNIST が {folder} にありません：{problem}
{manual}</translation>
    </message>
    <message>
        <source>{variable}={value}: {problem}</source>
        <translation>{variable}={value}：{problem}</translation>
    </message>
    <message>
        <source>{variable}: not set</source>
        <translation>{variable}：設定されていません</translation>
    </message>
    <message>
        <source>cache {folder}: {problem}</source>
        <translation>キャッシュ {folder}：{problem}</translation>
    </message>
    <message>
        <source>download: not tried (download=False)</source>
        <translation>ダウンロード：試していません（download=False）</translation>
    </message>
    <message>
        <source>download: {problem}</source>
        <translation>ダウンロード：{problem}</translation>
    </message>
    <message>
        <source>MNIST was not found. Tried:
{tried}{manual}</source>
        <translation>MNIST が見つかりませんでした。探した場所：
{tried}{manual}</translation>
    </message>
    <message>
        <source>no such folder</source>
        <translation>フォルダがありません</translation>
    </message>
    <message>
        <source>missing {names} (with or without .gz)</source>
        <translation>{names} がありません（.gz の付いた名前も探しました）</translation>
    </message>
    <message>
        <source>cannot read it ({reason})</source>
        <translation>読めません（{reason}）</translation>
    </message>
    <message>
        <source>holds an array of shape {shape}, expected {expected} ({name})</source>
        <translation>配列の形が {shape} ですが、{expected} のはずです（{name}）</translation>
    </message>
    <message>
        <source>SHA-256 of the decompressed bytes is {digest}, expected {expected} for {name}: the file is damaged or not the original MNIST</source>
        <translation>展開したデータの SHA-256 が {digest} ですが、{name} なら {expected} のはずです。ファイルが壊れているか、元の MNIST ではありません</translation>
    </message>
    <message>
        <source>damaged gzip data ({problem})</source>
        <translation>gzip データが壊れています（{problem}）</translation>
    </message>
    <message>
        <source>oversized: more than {limit} bytes decompressed</source>
        <translation>大きすぎます：展開すると {limit} バイトを超えます</translation>
    </message>
    <message>
        <source>oversized: more than {limit} bytes</source>
        <translation>大きすぎます：{limit} バイトを超えています</translation>
    </message>
    <message>
        <source>too short for an IDX header: {count} bytes</source>
        <translation>IDX のヘッダとしては短すぎます：{count} バイト</translation>
    </message>
    <message>
        <source>not an MNIST IDX file: magic number 0x{magic:08x}, expected 0x{images:08x} (images) or 0x{labels:08x} (labels)</source>
        <translation>MNIST の IDX ファイルではありません：マジックナンバーが 0x{magic:08x} ですが、0x{images:08x}（画像）か 0x{labels:08x}（ラベル）のはずです</translation>
    </message>
    <message>
        <source>truncated header: {count} bytes, expected at least {header}</source>
        <translation>ヘッダが途中で切れています：{count} バイトしかなく、少なくとも {header} バイト必要です</translation>
    </message>
    <message>
        <source>images are {width}x{height} px, expected {size}x{size}</source>
        <translation>画像が {width}x{height} 画素ですが、{size}x{size} のはずです</translation>
    </message>
    <message>
        <source>{count} images</source>
        <translation>画像 {count} 枚</translation>
    </message>
    <message>
        <source>{count} labels</source>
        <translation>ラベル {count} 個</translation>
    </message>
    <message>
        <source>truncated: the header announces {what} ({expected} bytes), found {found} bytes</source>
        <translation>途中で切れています：ヘッダによれば{what}（{expected} バイト）ですが、{found} バイトしかありません</translation>
    </message>
    <message>
        <source>oversized: the header announces {what} ({expected} bytes), found {found} bytes</source>
        <translation>大きすぎます：ヘッダによれば{what}（{expected} バイト）ですが、{found} バイトあります</translation>
    </message>
    <message>
        <source>cannot create {folder}: {problem}</source>
        <translation>{folder} を作成できません：{problem}</translation>
    </message>
    <message>
        <source>folder {folder}: cannot create it ({problem})</source>
        <translation>フォルダ {folder}：作成できません（{problem}）</translation>
    </message>
    <message>
        <source>{url}: {problem}</source>
        <translation>{url}：{problem}</translation>
    </message>
    <message>
        <source>mirrors: none given</source>
        <translation>ミラー：指定されていません</translation>
    </message>
    <message>
        <source>npm pack {package}: {problem}</source>
        <translation>npm pack {package}：{problem}</translation>
    </message>
    <message>
        <source>could not fetch {names}. Tried:
{tried}{manual}</source>
        <translation>{names} を取得できませんでした。試した方法：
{tried}{manual}</translation>
    </message>
    <message>
        <source>too large: {total} bytes announced, at most {limit} expected</source>
        <translation>大きすぎます：{total} バイトと通知されましたが、多くても {limit} バイトのはずです</translation>
    </message>
    <message>
        <source>truncated: received {done} of {total} bytes</source>
        <translation>途中で切れています：{total} バイトのうち {done} バイトしか受信していません</translation>
    </message>
    <message>
        <source>too large: more than {limit} bytes</source>
        <translation>大きすぎます：{limit} バイトを超えています</translation>
    </message>
    <message>
        <source>{command!r} is not on the PATH</source>
        <translation>{command!r} が PATH にありません</translation>
    </message>
    <message>
        <source>npm pack wrote no .tgz file</source>
        <translation>npm pack が .tgz ファイルを作りませんでした</translation>
    </message>
    <message>
        <source>cannot read {name}: {problem}</source>
        <translation>{name} を読めません：{problem}</translation>
    </message>
    <message>
        <source>cannot run {command}: {problem}</source>
        <translation>{command} を実行できません：{problem}</translation>
    </message>
    <message>
        <source>the MNIST download was cancelled</source>
        <translation>MNIST のダウンロードを取り消しました</translation>
    </message>
    <message>
        <source>npm pack took more than {seconds:.0f} s</source>
        <translation>npm pack に {seconds:.0f} 秒以上かかりました</translation>
    </message>
    <message>
        <source>npm pack failed (exit {code}): {problem}</source>
        <translation>npm pack が失敗しました（終了コード {code}）：{problem}</translation>
    </message>
    <message>
        <source>{name} in the package is not a regular file</source>
        <translation>パッケージ内の {name} は通常のファイルではありません</translation>
    </message>
    <message>
        <source>{name} in the package is too large ({size} bytes)</source>
        <translation>パッケージ内の {name} が大きすぎます（{size} バイト）</translation>
    </message>
    <message>
        <source>cannot read {name} from the package</source>
        <translation>パッケージから {name} を読めません</translation>
    </message>
    <message>
        <source>{name}: {problem}</source>
        <translation>{name}：{problem}</translation>
    </message>
    <message>
        <source>{name} is not in the package</source>
        <translation>{name} がパッケージにありません</translation>
    </message>
    <message>
        <source>HTTP {code} {reason}</source>
        <translation>HTTP {code} {reason}</translation>
    </message>
    <message>
        <source>cannot connect ({reason})</source>
        <translation>接続できません（{reason}）</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>時間切れになりました</translation>
    </message>
    <message>
        <source>refused: {problem}</source>
        <translation>受け付けませんでした：{problem}</translation>
    </message>
    <message>
        <source>To install MNIST by hand, put the four files {names} (each may be gzip-compressed, named with .gz) into {folder}, or into any folder and set {variable} to that folder; {command} downloads them.</source>
        <translation>MNIST を手作業で入れるには、4 つのファイル {names}（それぞれ gzip 圧縮して .gz の付いた名前にしてもかまいません）を {folder} に置くか、好きなフォルダに置いて {variable} にそのフォルダを設定してください。{command} を実行するとダウンロードできます。</translation>
    </message>
    <message>
        <source>is a folder, not a model file</source>
        <translation>モデルファイルではなくフォルダです</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>アクセスが許可されていません</translation>
    </message>
    <message>
        <source>cannot be read (unforeseen {kind}: {problem})</source>
        <translation>読めません（想定外の {kind}：{problem}）</translation>
    </message>
    <message>
        <source>not a handwrite model file ({problem})</source>
        <translation>handwrite のモデルファイルではありません（{problem}）</translation>
    </message>
    <message>
        <source>not a handwrite model file: no {key!r} entry (a foreign .npz?)</source>
        <translation>handwrite のモデルファイルではありません：{key!r} の項目がありません（ほかのプログラムの .npz？）</translation>
    </message>
    <message>
        <source>bad architecture: {problem}</source>
        <translation>ネットワークの構成が正しくありません：{problem}</translation>
    </message>
    <message>
        <source>missing array {key!r}</source>
        <translation>配列 {key!r} がありません</translation>
    </message>
    <message>
        <source>unexpected arrays {names} and {more} more for this architecture</source>
        <translation>この構成にはない配列 {names} とほか {more} 個があります</translation>
    </message>
    <message>
        <source>unexpected arrays {names} for this architecture</source>
        <translation>この構成にはない配列 {names} があります</translation>
    </message>
    <message>
        <source>array {key!r} holds NaN or infinite values</source>
        <translation>配列 {key!r} に NaN か無限大の値があります</translation>
    </message>
    <message>
        <source>optimizer entry {key!r} names no parameter</source>
        <translation>最適化手法の項目 {key!r} に対応するパラメータがありません</translation>
    </message>
    <message>
        <source>optimizer entry {key!r} holds NaN or infinite values</source>
        <translation>最適化手法の項目 {key!r} に NaN か無限大の値があります</translation>
    </message>
    <message>
        <source>format version 2 needs a {key!r} entry</source>
        <translation>形式のバージョン 2 には {key!r} の項目が必要です</translation>
    </message>
    <message>
        <source>bad refusal: {problem}</source>
        <translation>「数字ではない」の判定設定が正しくありません：{problem}</translation>
    </message>
    <message>
        <source>metadata {problem}</source>
        <translation>メタデータ：{problem}</translation>
    </message>
    <message>
        <source>metadata must be a JSON object</source>
        <translation>メタデータは JSON オブジェクトでなければなりません</translation>
    </message>
    <message>
        <source>not a handwrite model file: format is {found!r}, expected {expected!r}</source>
        <translation>handwrite のモデルファイルではありません：形式が {found!r} ですが、{expected!r} のはずです</translation>
    </message>
    <message>
        <source>bad format version {version!r}</source>
        <translation>形式のバージョン {version!r} が正しくありません</translation>
    </message>
    <message>
        <source>format version {version} is newer than this program reads ({supported}); update handwrite to open it</source>
        <translation>形式のバージョン {version} は、このプログラムが読めるバージョン（{supported}）より新しいものです。開くには handwrite を更新してください</translation>
    </message>
    <message>
        <source>metadata has no &apos;architecture&apos; object</source>
        <translation>メタデータに &apos;architecture&apos; オブジェクトがありません</translation>
    </message>
    <message>
        <source>metadata {key!r} must be a JSON object</source>
        <translation>メタデータの {key!r} は JSON オブジェクトでなければなりません</translation>
    </message>
    <message>
        <source>{name} must be one of {choices}; got {value!r}</source>
        <translation>{name} は {choices} のどれかでなければなりません（指定値：{value!r}）</translation>
    </message>
    <message>
        <source>{name} must be a list of sizes, got {value!r}</source>
        <translation>{name} はサイズのリストでなければなりません（指定値：{value!r}）</translation>
    </message>
    <message>
        <source>{name}: {count} given; the number of layers must be {bounds}</source>
        <translation>{name}：{count} 個指定されていますが、層の数は {bounds}でなければなりません</translation>
    </message>
    <message>
        <source>{name}: each size must be {bounds}, got {value!r}</source>
        <translation>{name}：各サイズは {bounds}でなければなりません（指定値：{value!r}）</translation>
    </message>
    <message>
        <source>{name} must be {bounds}, got {value}</source>
        <translation>{name} は {bounds}でなければなりません（指定値：{value}）</translation>
    </message>
    <message>
        <source>name must be a non-empty string, got {value!r}</source>
        <translation>name は空でない文字列でなければなりません（指定値：{value!r}）</translation>
    </message>
    <message>
        <source>{blocks} convolution blocks (channels) but {kernels} kernel sizes (kernels): give one kernel size per block</source>
        <translation>畳み込みブロックが {blocks} 個（channels）なのに、カーネルサイズが {kernels} 個（kernels）です。ブロックごとに 1 つずつカーネルサイズを指定してください</translation>
    </message>
    <message>
        <source>{name} must be true or false, got {value}</source>
        <translation>{name} は true か false でなければなりません（指定値：{value}）</translation>
    </message>
    <message>
        <source>convolution block {block}: its {k}x{k} kernel is larger than the maps it gets; use smaller kernels, fewer blocks, same padding or no pooling</source>
        <translation>畳み込みブロック {block}：{k}x{k} のカーネルが、入ってくるマップより大きくなっています。カーネルを小さくするか、ブロックを減らすか、same パディングを使うか、プーリングをやめてください</translation>
    </message>
    <message>
        <source>convolution block {block}: its maps are {size}x{size}, too small to pool; use fewer blocks, smaller kernels, same padding or no pooling</source>
        <translation>畳み込みブロック {block}：マップが {size}x{size} で、プーリングするには小さすぎます。ブロックを減らすか、カーネルを小さくするか、same パディングを使うか、プーリングをやめてください</translation>
    </message>
    <message>
        <source>{count} values</source>
        <translation>{count} 個の値</translation>
    </message>
    <message>
        <source>1 map of {height}x{width}</source>
        <translation>{height}x{width} のマップ 1 枚</translation>
    </message>
    <message>
        <source>{count} maps of {height}x{width}</source>
        <translation>{height}x{width} のマップ {count} 枚</translation>
    </message>
    <message>
        <source>values of shape {shape}</source>
        <translation>形 {shape} の値</translation>
    </message>
    <message>
        <source>layer {index} ({type})</source>
        <translation>層 {index}（{type}）</translation>
    </message>
    <message>
        <source>{where} gets {shape} from {source}, but a fully connected layer takes a vector: put {flatten} before it</source>
        <translation>{where}は {source}から {shape}を受け取りますが、全結合層が受け取るのはベクトルです。前に {flatten} を置いてください</translation>
    </message>
    <message>
        <source>{where} has in_features {found}, but {source} gives {count} values: set {fix}</source>
        <translation>{where}の in_features は {found} ですが、{source}が出すのは {count} 個の値です。{fix} にしてください</translation>
    </message>
    <message>
        <source>{where} needs maps (channels, height, width), but {source} gives {shape}: put it before the Flatten layer</source>
        <translation>{where}にはマップ（チャンネル、高さ、幅）が必要ですが、{source}が出すのは {shape}です。Flatten 層より前に置いてください</translation>
    </message>
    <message>
        <source>{where} has in_channels {found}, but {source} gives {shape}: set {fix}</source>
        <translation>{where}の in_channels は {found} ですが、{source}が出すのは {shape}です。{fix} にしてください</translation>
    </message>
    <message>
        <source>{where}: its {k}x{k} window does not fit the {height}x{width} maps that {source} gives: use a smaller kernel_size, padding, or fewer pooling layers before it</source>
        <translation>{where}：{k}x{k} の窓が、{source}の出す {height}x{width} のマップに収まりません。kernel_size を小さくするか、パディングを入れるか、この層より前のプーリング層を減らしてください</translation>
    </message>
    <message>
        <source>an architecture is a JSON object such as {example}; got {kind}</source>
        <translation>ネットワークの構成は {example} のような JSON オブジェクトです（指定されたのは {kind}）</translation>
    </message>
    <message>
        <source>unknown key {key!r} in the architecture: the keys are {keys}</source>
        <translation>構成に不明なキー {key!r} があります。使えるキーは {keys} です</translation>
    </message>
    <message>
        <source>name must be a string, got {value!r}</source>
        <translation>name は文字列でなければなりません（指定値：{value!r}）</translation>
    </message>
    <message>
        <source>input_shape must be {expected} (MNIST&apos;s 28x28 grey digits), got {value!r}</source>
        <translation>input_shape は {expected}（MNIST の 28x28 の白黒の数字）でなければなりません（指定値：{value!r}）</translation>
    </message>
    <message>
        <source>classes must be a list of 2 to 1000 names, such as {example}; got {value!r}</source>
        <translation>classes は {example} のような 2〜1000 個の名前のリストでなければなりません（指定値：{value!r}）</translation>
    </message>
    <message>
        <source>unknown loss {name!r}: use {choices}</source>
        <translation>不明な損失関数 {name!r} です。{choices} を使ってください</translation>
    </message>
    <message>
        <source> or </source>
        <translation> か </translation>
    </message>
    <message>
        <source>the architecture needs &quot;layers&quot;: a list of layers such as {example}</source>
        <translation>構成には &quot;layers&quot;（{example} のような層のリスト）が必要です</translation>
    </message>
    <message>
        <source>the 1x28x28 input</source>
        <translation>1x28x28 の入力</translation>
    </message>
    <message>
        <source>layer {index}: each layer is an object with a &quot;type&quot;, such as {example}; got {value!r}</source>
        <translation>層 {index}：各層は {example} のように &quot;type&quot; を持つオブジェクトです（指定値：{value!r}）</translation>
    </message>
    <message>
        <source>layer {index}: unknown type {name!r}; did you mean {close!r}? the types are {types}</source>
        <translation>層 {index}：{name!r} という型はありません。{close!r} のことですか？ 使える型は {types} です</translation>
    </message>
    <message>
        <source>layer {index}: unknown type {name!r}; the types are {types}</source>
        <translation>層 {index}：{name!r} という型はありません。使える型は {types} です</translation>
    </message>
    <message>
        <source>{where}: unknown argument {key!r}; it takes {names}</source>
        <translation>{where}：不明な引数 {key!r} です。この層の引数は {names} です</translation>
    </message>
    <message>
        <source>{where}: unknown argument {key!r}; it takes no arguments</source>
        <translation>{where}：不明な引数 {key!r} です。この層は引数を取りません</translation>
    </message>
    <message>
        <source>{where}: missing {missing}; it takes {names}</source>
        <translation>{where}：{missing} がありません。この層の引数は {names} です</translation>
    </message>
    <message>
        <source>{where}: {problem}</source>
        <translation>{where}：{problem}</translation>
    </message>
    <message>
        <source>{where}: bad arguments {args!r} ({problem})</source>
        <translation>{where}：引数 {args!r} が正しくありません（{problem}）</translation>
    </message>
    <message>
        <source>{where} brings the network to {total:,} parameters, more than {limit:,}: make the layers smaller</source>
        <translation>{where}でネットワークのパラメータが {total:,} 個になり、上限の {limit:,} 個を超えます。層を小さくしてください</translation>
    </message>
    <message>
        <source>end with {layer}</source>
        <translation>最後に {layer} を置いてください</translation>
    </message>
    <message>
        <source>end with {flatten} and a Dense layer of {count} out_features</source>
        <translation>最後に {flatten} と、out_features が {count} の Dense 層を置いてください</translation>
    </message>
    <message>
        <source>the network ends with {shape} (from {source}), but there are {count} classes: {fix}</source>
        <translation>ネットワークの最後の出力は {shape}（{source}から）ですが、クラスは {count} 個です。{fix}</translation>
    </message>
    <message>
        <source>only a network whose last fully connected layer gives the ten digits can learn to say &apos;not a digit&apos;</source>
        <translation>「数字ではない」と答えることを学べるのは、最後の全結合層が 10 個の数字を出力するネットワークだけです</translation>
    </message>
    <message>
        <source>unknown device {name!r}: use one of {choices}</source>
        <translation>不明なデバイス {name!r} です。{choices} のどれかを使ってください</translation>
    </message>
    <message>
        <source>a GPU was asked for but CuPy is not installed or failed to import ({problem}); install it with: {command}</source>
        <translation>GPU が指定されましたが、CuPy がインストールされていないか、読み込めませんでした（{problem}）。次のコマンドでインストールしてください：{command}</translation>
    </message>
    <message>
        <source>a GPU was asked for but CUDA reports no usable device ({problem})</source>
        <translation>GPU が指定されましたが、CUDA から使えるデバイスが見つかりません（{problem}）</translation>
    </message>
    <message>
        <source>a GPU was asked for but CUDA reports no device</source>
        <translation>GPU が指定されましたが、CUDA からデバイスが見つかりません</translation>
    </message>
    <message>
        <source>ONNX export needs the onnx package: {command}</source>
        <translation>ONNX への書き出しには onnx パッケージが必要です：{command}</translation>
    </message>
    <message>
        <source>layer {index} ({type}) has no ONNX translation; add one to {table}</source>
        <translation>層 {index}（{type}）には ONNX への変換がありません。{table} に追加してください</translation>
    </message>
    <message>
        <source>the loss {name!r} has no ONNX translation of its probabilities; add one to {table}</source>
        <translation>損失関数 {name!r} の確率には ONNX への変換がありません。{table} に追加してください</translation>
    </message>
    <message>
        <source>model metadata {key!r} is not plain JSON: {problem}</source>
        <translation>モデルのメタデータ {key!r} が素の JSON ではありません：{problem}</translation>
    </message>
    <message>
        <source>the exported graph does not pass onnx.checker: {problem}</source>
        <translation>書き出したグラフが onnx.checker の検査を通りません：{problem}</translation>
    </message>
    <message>
        <source>{path}: could not write ({reason})</source>
        <translation>{path}：書き込めませんでした（{reason}）</translation>
    </message>
    <message>
        <source>{layer} {name} must be {bounds}, got {value}</source>
        <translation>{layer} の {name} は {bounds}でなければなりません（指定値：{value}）</translation>
    </message>
    <message>
        <source>init must be &apos;auto&apos;, &apos;he&apos;, &apos;glorot&apos; or &apos;none&apos;, got {value!r}</source>
        <translation>init は &apos;auto&apos;、&apos;he&apos;、&apos;glorot&apos;、&apos;none&apos; のどれかでなければなりません（指定値：{value!r}）</translation>
    </message>
    <message>
        <source>{layer} got input of shape {shape}; add a Flatten layer or fix in_features</source>
        <translation>{layer} に形 {shape} の入力が来ました。Flatten 層を加えるか、in_features を直してください</translation>
    </message>
    <message>
        <source>dropout p must be a probability in [0, 1), got {value}</source>
        <translation>ドロップアウトの p は [0, 1) の確率でなければなりません（指定値：{value}）</translation>
    </message>
    <message>
        <source>{layer} expects input (C={channels}, H, W), got {shape}</source>
        <translation>{layer} の入力は (C={channels}, H, W) のはずですが、{shape} です</translation>
    </message>
    <message>
        <source>{layer} does not fit an input of {height}x{width}</source>
        <translation>{layer} は {height}x{width} の入力に収まりません</translation>
    </message>
    <message>
        <source>{layer} expects input (C, H, W), got {shape}</source>
        <translation>{layer} の入力は (C, H, W) のはずですが、{shape} です</translation>
    </message>
    <message>
        <source>kernel_size must be odd, got {value}</source>
        <translation>kernel_size は奇数でなければなりません（指定値：{value}）</translation>
    </message>
    <message>
        <source>a model needs at least one layer</source>
        <translation>モデルには少なくとも 1 つの層が必要です</translation>
    </message>
    <message>
        <source>the last layer gives outputs of shape {shape}, but there are {count} classes</source>
        <translation>最後の層の出力の形は {shape} ですが、クラスは {count} 個です</translation>
    </message>
    <message>
        <source>one image would need {values:,} activation values, more than the {limit:,} allowed (smaller layers, less padding)</source>
        <translation>画像 1 枚に {values:,} 個の活性値が必要になり、上限の {limit:,} 個を超えます（層を小さく、パディングを少なくしてください）</translation>
    </message>
    <message>
        <source>architecture must be a JSON object</source>
        <translation>構成は JSON オブジェクトでなければなりません</translation>
    </message>
    <message>
        <source>architecture needs a non-empty &apos;layers&apos; list</source>
        <translation>構成には空でない &apos;layers&apos; リストが必要です</translation>
    </message>
    <message>
        <source>architecture has {count:,} layers, more than {limit:,}</source>
        <translation>構成の層が {count:,} 個あり、上限の {limit:,} 個を超えています</translation>
    </message>
    <message>
        <source>input_shape must be [channels, height, width] of 1 to {limit}, got {value}</source>
        <translation>input_shape は 1〜{limit} の [channels, height, width] でなければなりません（指定値：{value}）</translation>
    </message>
    <message>
        <source>classes must be a list of 2 to 1000 labels</source>
        <translation>classes は 2〜1000 個のラベルのリストでなければなりません</translation>
    </message>
    <message>
        <source>classes must be short strings, got {value}</source>
        <translation>classes は短い文字列でなければなりません（指定値：{value}）</translation>
    </message>
    <message>
        <source>unknown loss {name}: expected one of {choices}</source>
        <translation>不明な損失関数 {name} です。{choices} のどれかのはずです</translation>
    </message>
    <message>
        <source>architecture name must be a short string</source>
        <translation>構成の名前は短い文字列でなければなりません</translation>
    </message>
    <message>
        <source>layer {index}: unknown layer {spec}; known types: {types}</source>
        <translation>層 {index}：不明な層 {spec} です。使える型：{types}</translation>
    </message>
    <message>
        <source>layer {index} ({type}): {problem}</source>
        <translation>層 {index}（{type}）：{problem}</translation>
    </message>
    <message>
        <source>layer {index} ({type}): bad arguments {spec}</source>
        <translation>層 {index}（{type}）：引数 {spec} が正しくありません</translation>
    </message>
    <message>
        <source>architecture has {count:,} parameters, more than {limit:,}</source>
        <translation>構成のパラメータが {count:,} 個あり、上限の {limit:,} 個を超えています</translation>
    </message>
    <message>
        <source>inconsistent architecture: {problem}</source>
        <translation>構成に矛盾があります：{problem}</translation>
    </message>
    <message>
        <source>state does not match the model: missing {missing}, unexpected {extra}</source>
        <translation>状態がモデルと合いません：足りないもの {missing}、余分なもの {extra}</translation>
    </message>
    <message>
        <source>{key}: expected shape {expected}, found {found}</source>
        <translation>{key}：形は {expected} のはずですが、{found} です</translation>
    </message>
    <message>
        <source>metadata is not plain JSON: {problem}</source>
        <translation>メタデータが素の JSON ではありません：{problem}</translation>
    </message>
    <message>
        <source>could not save ({reason})</source>
        <translation>保存できませんでした（{reason}）</translation>
    </message>
    <message>
        <source>the personal set is full ({count} samples)</source>
        <translation>個人データセットがいっぱいです（{count} 個）</translation>
    </message>
    <message>
        <source>{path}: could not save your samples ({reason}); nothing was changed</source>
        <translation>{path}：サンプルを保存できませんでした（{reason}）。何も変更していません</translation>
    </message>
    <message>
        <source>not a handwrite personal data set (entries {entries})</source>
        <translation>handwrite の個人データセットではありません（項目 {entries}）</translation>
    </message>
    <message>
        <source>not a handwrite personal data set</source>
        <translation>handwrite の個人データセットではありません</translation>
    </message>
    <message>
        <source>format version {version} is newer than this program reads; update handwrite to open it</source>
        <translation>形式のバージョン {version} は、このプログラムが読めるものより新しいものです。開くには handwrite を更新してください</translation>
    </message>
    <message>
        <source>{path}: cannot be read ({problem})</source>
        <translation>{path}：読み込めません（{problem}）</translation>
    </message>
    <message>
        <source>{path}: the file is gone</source>
        <translation>{path}：ファイルがなくなっています</translation>
    </message>
    <message>
        <source>unforeseen {kind}: {problem}</source>
        <translation>想定外の {kind}：{problem}</translation>
    </message>
    <message>
        <source>{path}: labels must be digits 0-9 or 10 (not a digit)</source>
        <translation>{path}：ラベルは 0〜9 の数字か 10（数字ではない）でなければなりません</translation>
    </message>
    <message>
        <source>{path}: timestamps must be finite</source>
        <translation>{path}：タイムスタンプは有限の値でなければなりません</translation>
    </message>
    <message>
        <source>unknown architecture {name!r}: use one of {choices}</source>
        <translation>不明なネットワーク {name!r} です。{choices} のどれかを使ってください</translation>
    </message>
    <message>
        <source>architecture: {problem}</source>
        <translation>ネットワークの構成：{problem}</translation>
    </message>
    <message>
        <source>{name} must be an integer &gt;= {low}, got {value}</source>
        <translation>{name} は {low} 以上の整数でなければなりません（指定値：{value}）</translation>
    </message>
    <message>
        <source>unknown {what} {value}: use one of {choices}</source>
        <translation>不明な{what} {value} です。{choices} のどれかを使ってください</translation>
    </message>
    <message>
        <source>architecture</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>dropout sets a preset&apos;s dropout rate; with your own architecture, set the Dropout layers&apos; &quot;p&quot; in it instead</source>
        <translation>dropout はプリセットのドロップアウト率を設定するものです。独自の構成では、代わりに構成の中の Dropout 層の &quot;p&quot; を設定してください</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>最適化手法</translation>
    </message>
    <message>
        <source>schedule</source>
        <translation>スケジュール</translation>
    </message>
    <message>
        <source>device must be a name such as &apos;cpu&apos;, got {value}</source>
        <translation>device は &apos;cpu&apos; のような名前でなければなりません（指定値：{value}）</translation>
    </message>
    <message>
        <source>a model file, but not a training checkpoint (it holds no optimizer state to continue from)</source>
        <translation>モデルファイルですが、学習のチェックポイントではありません（学習を続けるための最適化手法の状態がありません）</translation>
    </message>
    <message>
        <source>the checkpoint&apos;s optimizer entry is damaged (unknown optimizer {name})</source>
        <translation>チェックポイントの最適化手法の項目が壊れています（不明な最適化手法 {name}）</translation>
    </message>
    <message>
        <source>the checkpoint&apos;s optimizer entry is damaged (hyperparameters {value} are not numbers by name)</source>
        <translation>チェックポイントの最適化手法の項目が壊れています（ハイパーパラメータ {value} が名前付きの数値ではありません）</translation>
    </message>
    <message>
        <source>the checkpoint&apos;s optimizer entry is damaged (steps {value} is not a count)</source>
        <translation>チェックポイントの最適化手法の項目が壊れています（steps の {value} が回数ではありません）</translation>
    </message>
    <message>
        <source>the checkpoint&apos;s optimizer entry is damaged (no {key!r} in it)</source>
        <translation>チェックポイントの最適化手法の項目が壊れています（{key!r} がありません）</translation>
    </message>
    <message>
        <source>the checkpoint&apos;s optimizer entry is damaged ({problem})</source>
        <translation>チェックポイントの最適化手法の項目が壊れています（{problem}）</translation>
    </message>
    <message>
        <source>the checkpoint&apos;s {key!r} must be a count (0 or more), got {value}</source>
        <translation>チェックポイントの {key!r} は回数（0 以上）でなければなりません（指定値：{value}）</translation>
    </message>
    <message>
        <source>the checkpoint&apos;s {key!r} must be {bounds}, got {value}</source>
        <translation>チェックポイントの {key!r} は {bounds}でなければなりません（指定値：{value}）</translation>
    </message>
    <message>
        <source>the checkpoint holds no settings (&apos;config&apos;)</source>
        <translation>チェックポイントに設定（&apos;config&apos;）がありません</translation>
    </message>
    <message>
        <source>the checkpoint&apos;s settings are damaged: {problem}</source>
        <translation>チェックポイントの設定が壊れています：{problem}</translation>
    </message>
    <message>
        <source>the checkpoint&apos;s curves (&apos;history&apos;) are {value}</source>
        <translation>チェックポイントの学習曲線（&apos;history&apos;）が {value} になっています</translation>
    </message>
    <message>
        <source>the checkpoint&apos;s curve {name!r} must be a list of step numbers, got {value}</source>
        <translation>チェックポイントの学習曲線 {name!r} はステップ番号のリストでなければなりません（指定値：{value}）</translation>
    </message>
    <message>
        <source>the checkpoint&apos;s curve {name!r} must be a list of numbers, got {value}</source>
        <translation>チェックポイントの学習曲線 {name!r} は数値のリストでなければなりません（指定値：{value}）</translation>
    </message>
    <message>
        <source>the checkpoint&apos;s curves &apos;batch_step&apos; and &apos;batch_loss&apos; differ</source>
        <translation>チェックポイントの学習曲線 &apos;batch_step&apos; と &apos;batch_loss&apos; の長さが違います</translation>
    </message>
    <message>
        <source>this network has no &apos;not a digit&apos; output to learn negatives with; set negatives to 0</source>
        <translation>このネットワークには負例を学ぶための「数字ではない」出力がありません。negatives を 0 にしてください</translation>
    </message>
    <message>
        <source>training images must be (N, 28, 28), got {shape}</source>
        <translation>訓練画像の形は (N, 28, 28) でなければなりませんが、{shape} です</translation>
    </message>
    <message>
        <source>training images and labels differ in number</source>
        <translation>訓練画像とラベルの数が違います</translation>
    </message>
    <message>
        <source>no training images</source>
        <translation>訓練画像がありません</translation>
    </message>
    <message>
        <source>cannot make the negatives: {problem}</source>
        <translation>負例を作れません：{problem}</translation>
    </message>
    <message>
        <source>{path}: the checkpoint does not fit ({problem})</source>
        <translation>{path}：チェックポイントが合いません（{problem}）</translation>
    </message>
    <message>
        <source>not a training checkpoint</source>
        <translation>学習のチェックポイントではありません</translation>
    </message>
    <message>
        <source>the checkpoint does not fit ({problem})</source>
        <translation>チェックポイントが合いません（{problem}）</translation>
    </message>
    <message>
        <source>the run has done {epochs} epochs already; ask for more than that</source>
        <translation>この学習はすでに {epochs} エポック済んでいます。それより多いエポック数を指定してください</translation>
    </message>
    <message>
        <source>the checkpoint stopped at batch {batch} of an epoch that has {batches} batches with this data</source>
        <translation>チェックポイントはエポック中のバッチ {batch} で止まっていますが、このデータでは 1 エポックが {batches} バッチしかありません</translation>
    </message>
    <message>
        <source>training diverged: {problem}; the last good weights are kept. Try a smaller learning rate.</source>
        <translation>学習が発散しました：{problem}。最後の正常な重みは残してあります。学習率を小さくしてみてください。</translation>
    </message>
    <message>
        <source>the loss became {loss:.4g} at epoch {epoch}, batch {batch} (learning rate {lr:g})</source>
        <translation>エポック {epoch}、バッチ {batch} で損失が {loss:.4g} になりました（学習率 {lr:g}）</translation>
    </message>
    <message>
        <source>the gradient became {norm:.4g} at epoch {epoch}, batch {batch} (learning rate {lr:g}); the step was not applied</source>
        <translation>エポック {epoch}、バッチ {batch} で勾配が {norm:.4g} になりました（学習率 {lr:g}）。この更新は適用していません</translation>
    </message>
    <message>
        <source>the weights became NaN or infinite</source>
        <translation>重みが NaN か無限大になりました</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>a folder</source>
        <translation>フォルダ</translation>
    </message>
    <message>
        <source>a named pipe (FIFO)</source>
        <translation>名前付きパイプ（FIFO）</translation>
    </message>
    <message>
        <source>a device</source>
        <translation>デバイス</translation>
    </message>
    <message>
        <source>a socket</source>
        <translation>ソケット</translation>
    </message>
    <message>
        <source>not a regular file</source>
        <translation>特殊なファイル</translation>
    </message>
    <message>
        <source>is {kind}, not a file</source>
        <translation>通常のファイルではなく{kind}です</translation>
    </message>
    <message>
        <source>is {size:,} bytes, more than the {limit:,} accepted</source>
        <translation>{size:,} バイトあり、受け付ける {limit:,} バイトを超えています</translation>
    </message>
    <message>
        <source>holds more than the {limit:,} bytes accepted</source>
        <translation>受け付ける {limit:,} バイトを超えています</translation>
    </message>
    <message>
        <source>JSON holds {name}, which is not a number</source>
        <translation>JSON に数値ではない {name} があります</translation>
    </message>
    <message>
        <source>JSON holds the number {number}, too large for a float</source>
        <translation>JSON に浮動小数点数には大きすぎる数 {number} があります</translation>
    </message>
    <message>
        <source>JSON holds the integer {number}, larger than 64 bits</source>
        <translation>JSON に 64 ビットを超える整数 {number} があります</translation>
    </message>
    <message>
        <source>is not UTF-8 JSON ({reason} at byte {byte})</source>
        <translation>UTF-8 の JSON ではありません（{byte} バイト目：{reason}）</translation>
    </message>
    <message>
        <source>JSON nests {depth} levels deep, more than the {limit} accepted</source>
        <translation>JSON の入れ子が {depth} 段あり、受け付ける {limit} 段を超えています</translation>
    </message>
    <message>
        <source>JSON nests too deep</source>
        <translation>JSON の入れ子が深すぎます</translation>
    </message>
    <message>
        <source>is not valid JSON ({problem})</source>
        <translation>正しい JSON ではありません（{problem}）</translation>
    </message>
    <message>
        <source>not a valid .npz archive ({problem})</source>
        <translation>正しい .npz アーカイブではありません（{problem}）</translation>
    </message>
    <message>
        <source>holds {count:,} entries, more than the {limit} accepted</source>
        <translation>項目が {count:,} 個あり、受け付ける {limit} 個を超えています</translation>
    </message>
    <message>
        <source>unexpected entry {name!r} (not an .npy array)</source>
        <translation>想定外の項目 {name!r} があります（.npy の配列ではありません）</translation>
    </message>
    <message>
        <source>entry {key!r} appears twice</source>
        <translation>項目 {key!r} が 2 回出てきます</translation>
    </message>
    <message>
        <source>entry {key!r} would unpack to {size:,} bytes (too large)</source>
        <translation>項目 {key!r} は展開すると {size:,} バイトになります（大きすぎます）</translation>
    </message>
    <message>
        <source>entry {key!r} is compressed {ratio:.0f}:1 (a zip bomb?)</source>
        <translation>項目 {key!r} の圧縮率が {ratio:.0f}:1 です（zip 爆弾？）</translation>
    </message>
    <message>
        <source>array {key!r} has an unknown .npy version {version}</source>
        <translation>配列 {key!r} の .npy バージョン {version} は知らないものです</translation>
    </message>
    <message>
        <source>array {key!r} holds Python objects (pickle); refused</source>
        <translation>配列 {key!r} は Python オブジェクト（pickle）を含むので、読み込みません</translation>
    </message>
    <message>
        <source>array {key!r} has dtype {found}, expected {expected}</source>
        <translation>配列 {key!r} の dtype が {found} ですが、{expected} のはずです</translation>
    </message>
    <message>
        <source>array {key!r} declares the shape {shape}</source>
        <translation>配列 {key!r} が形 {shape} を宣言しています</translation>
    </message>
    <message>
        <source>array {key!r} has shape {shape}, expected {expected}</source>
        <translation>配列 {key!r} の形が {shape} ですが、{expected} のはずです</translation>
    </message>
    <message>
        <source>array {key!r} is {size:,} bytes, more than {limit:,}</source>
        <translation>配列 {key!r} が {size:,} バイトあり、{limit:,} バイトを超えています</translation>
    </message>
    <message>
        <source>array {key!r} cannot be read ({kind}: {problem})</source>
        <translation>配列 {key!r} を読めません（{kind}: {problem}）</translation>
    </message>
    <message>
        <source>array {key!r} holds {found:,} data bytes, expected {expected:,}</source>
        <translation>配列 {key!r} のデータが {found:,} バイトですが、{expected:,} バイトのはずです</translation>
    </message>
</context>
<context>
    <name>Experiments</name>
    <message>
        <source>The run with {name} diverged (its loss became {loss:.3g}), so this comparison has no result: its learning rate {lr:g} is too large for this data.</source>
        <translation>{name} の学習が発散した（損失が {loss:.3g} になった）ため、この比較は結果が出ませんでした。このデータには学習率 {lr:g} が大きすぎます。</translation>
    </message>
    <message>
        <source>{name} reached {target:.0%} after {steps:,} steps</source>
        <translation>{name} は {steps:,} ステップで {target:.0%} に達しました</translation>
    </message>
    <message>
        <source>{name} did not reach {target:.0%} in {steps:,} steps (it got to {best:.1%})</source>
        <translation>{name} は {steps:,} ステップでは {target:.0%} に達しませんでした（最高 {best:.1%}）</translation>
    </message>
    <message>
        <source>Training accuracy over the last 50 batches: {first}; {second}; {third}. On the test digits: {name1} {test1:.1%}, {name2} {test2:.1%}, {name3} {test3:.1%}.</source>
        <translation>直近 50 バッチの訓練正解率で見ると、{first}。{second}。{third}。テストデータの正解率は {name1} {test1:.1%}、{name2} {test2:.1%}、{name3} {test3:.1%} でした。</translation>
    </message>
    <message>
        <source>SGD, momentum and Adam</source>
        <translation>SGD、モーメンタム、Adam</translation>
    </message>
    <message>
        <source>The same network trained by plain gradient descent, by gradient descent with momentum and by Adam, all from the same initial weights: which learns in the fewest steps?</source>
        <translation>同じネットワークを同じ初期値から、素の勾配降下法、モーメンタム付きの勾配降下法、Adam で学習させます。いちばん少ないステップで学習するのはどれでしょう？</translation>
    </message>
    <message>
        <source>SGD</source>
        <translation>SGD</translation>
    </message>
    <message>
        <source>momentum</source>
        <translation>モーメンタム</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>In the sigmoid network the first layer&apos;s gradient was {sigmoid_ratio:,.0f} times smaller than the last layer&apos;s (median over the run): the gradient vanishes on its way back through the layers. In the ReLU network the first layer&apos;s was {relu_ratio:.2g} times the last&apos;s. After {steps:,} steps the sigmoid network recognised {sigmoid_test:.1%} of the test digits, the ReLU network {relu_test:.1%}.</source>
        <translation>シグモイドのネットワークでは、最初の層の勾配が最後の層の {sigmoid_ratio:,.0f} 分の1でした（学習中の中央値）。勾配は層を逆にたどるうちに消えていきます（勾配消失）。ReLU のネットワークでは、最初の層の勾配は最後の層の {relu_ratio:.2g} 倍でした。{steps:,} ステップ後のテスト正解率は、シグモイドが {sigmoid_test:.1%}、ReLU が {relu_test:.1%} でした。</translation>
    </message>
    <message>
        <source>Sigmoid or ReLU in a deep network</source>
        <translation>深いネットワークでのシグモイドと ReLU</translation>
    </message>
    <message>
        <source>Two networks of five hidden layers of 100 units, trained by plain SGD: one with the sigmoid function, one with ReLU. How large are the gradients that reach the first layers?</source>
        <translation>100 ユニットの中間層を 5 つ持つネットワークを 2 つ、素の SGD で学習させます。一方はシグモイド関数、もう一方は ReLU です。最初の方の層に届く勾配はどれくらいの大きさでしょう？</translation>
    </message>
    <message>
        <source>sigmoid</source>
        <translation>シグモイド</translation>
    </message>
    <message>
        <source>ReLU</source>
        <translation>ReLU</translation>
    </message>
    <message>
        <source>Training accuracy over the last 50 batches: {first}; {second}. On the test digits: cross-entropy {ce_test:.1%}, squared error {se_test:.1%}. Squared error fits all ten outputs to 0 and 1 as a regression; cross-entropy only asks the right digit&apos;s probability to grow.</source>
        <translation>直近 50 バッチの訓練正解率で見ると、{first}。{second}。テストデータの正解率は交差エントロピー {ce_test:.1%}、二乗誤差 {se_test:.1%} でした。二乗誤差は 10 個の出力すべてを回帰のように 0 と 1 に合わせようとし、交差エントロピーは正しい数字の確率を上げることだけを求めます。</translation>
    </message>
    <message>
        <source>Squared error or cross-entropy</source>
        <translation>二乗誤差と交差エントロピー</translation>
    </message>
    <message>
        <source>The same network trained to minimise the squared error of its outputs against the one-hot targets, or the softmax cross-entropy: which learns to classify faster?</source>
        <translation>同じネットワークを、出力と one-hot の目標値との二乗誤差、またはソフトマックス交差エントロピーを最小にするように学習させます。速く分類を覚えるのはどちらでしょう？</translation>
    </message>
    <message>
        <source>squared error</source>
        <translation>二乗誤差</translation>
    </message>
    <message>
        <source>cross-entropy</source>
        <translation>交差エントロピー</translation>
    </message>
    <message>
        <source>In {epochs} passes over the same {images:,} images, mini-batch SGD ({batch} images a step) took {mini_steps:,} steps and recognised {mini_test:.1%} of the test digits; batch gradient descent took {epochs} steps, one per pass, and recognised {full_test:.1%}. Each of its steps cost as much as {ratio:,.0f} mini-batch steps.</source>
        <translation>同じ {images:,} 枚の画像を {epochs} 回たどる間に、ミニバッチ SGD（1 ステップ {batch} 枚）は {mini_steps:,} ステップ進んでテスト正解率 {mini_test:.1%} に、バッチ勾配降下法は 1 回に 1 ステップの {epochs} ステップでテスト正解率 {full_test:.1%} になりました。バッチ勾配降下法の 1 ステップには、ミニバッチ {ratio:,.0f} ステップ分の計算がかかります。</translation>
    </message>
    <message>
        <source>Batch gradient descent or mini-batch SGD</source>
        <translation>バッチ勾配降下法とミニバッチ SGD</translation>
    </message>
    <message>
        <source>Gradient descent on the whole training set at once (one step per pass) against stochastic gradient descent on mini-batches of 64 images, for the same number of passes over the data.</source>
        <translation>訓練データ全体を一度に使う勾配降下法（データを 1 回たどるごとに 1 ステップ）と、64 枚のミニバッチによる確率的勾配降下法を、データを同じ回数たどって比べます。</translation>
    </message>
    <message>
        <source>batch gradient descent</source>
        <translation>バッチ勾配降下法</translation>
    </message>
    <message>
        <source>mini-batch SGD</source>
        <translation>ミニバッチ SGD</translation>
    </message>
    <message>
        <source>Without dropout the network recognised {plain_fit:.1%} of its {images:,} training images but only {plain_test:.1%} of new digits, a gap of {plain_gap:.1f} points, and its loss on new digits rose from {plain_best:.3f} (epoch {plain_epoch}) to {plain_last:.3f}: it learned its training images by heart. With dropout: {drop_fit:.1%} of the training images, {drop_test:.1%} of new digits, a gap of {drop_gap:.1f} points.</source>
        <translation>ドロップアウトなしでは、{images:,} 枚の訓練画像の {plain_fit:.1%} を正しく認識したのに、新しい数字は {plain_test:.1%} しか認識できず、差は {plain_gap:.1f} ポイントでした。新しい数字での損失も {plain_best:.3f}（エポック {plain_epoch}）から {plain_last:.3f} に上がりました。訓練画像を丸暗記したのです。ドロップアウトありでは、訓練画像 {drop_fit:.1%}、新しい数字 {drop_test:.1%}、差は {drop_gap:.1f} ポイントでした。</translation>
    </message>
    <message>
        <source>Dropout against overfitting</source>
        <translation>過学習とドロップアウト</translation>
    </message>
    <message>
        <source>A large network trained for many passes over only 1,000 images learns them by heart and does worse on new ones. Does dropout (half the hidden units switched off at random in each step) cure it?</source>
        <translation>大きなネットワークを 1,000 枚だけの画像で何度も学習させると、画像を丸暗記して新しい画像ではうまくいきません。ドロップアウト（ステップごとに中間層のユニットの半分をランダムに止める）で治るでしょうか？</translation>
    </message>
    <message>
        <source>without dropout</source>
        <translation>ドロップアウトなし</translation>
    </message>
    <message>
        <source>with dropout</source>
        <translation>ドロップアウトあり</translation>
    </message>
    <message>
        <source>Trained on {images:,} images for {epochs} epochs, the network recognised {plain_test:.1%} of the test digits without augmentation and {aug_test:.1%} with it: {change}. On its own training images: {plain_fit:.1%} without augmentation, {aug_fit:.1%} with it.</source>
        <translation>{images:,} 枚の画像で {epochs} エポック学習したネットワークのテスト正解率は、データ拡張なしで {plain_test:.1%}、ありで {aug_test:.1%} でした（{change}）。訓練画像そのものの正解率は、拡張なしで {plain_fit:.1%}、ありで {aug_fit:.1%} でした。</translation>
    </message>
    <message>
        <source>{share:.0%} fewer errors</source>
        <translation>誤りが {share:.0%} 減りました</translation>
    </message>
    <message>
        <source>{share:.0%} more errors</source>
        <translation>誤りが {share:.0%} 増えました</translation>
    </message>
    <message>
        <source>With or without augmentation</source>
        <translation>データ拡張のありとなし</translation>
    </message>
    <message>
        <source>A small convolutional network trained on 2,000 images as they are, or on copies randomly rotated, scaled, sheared and shifted anew in every epoch.</source>
        <translation>小さな畳込みニューラルネットワークを、2,000 枚の画像そのままで、またはエポックごとに新たにランダムに回転・拡大縮小・せん断・移動したもので学習させます。</translation>
    </message>
    <message>
        <source>without augmentation</source>
        <translation>データ拡張なし</translation>
    </message>
    <message>
        <source>with augmentation</source>
        <translation>データ拡張あり</translation>
    </message>
</context>
<context>
    <name>ExperimentsPanel</name>
    <message>
        <source>Run this experiment</source>
        <translation>この実験を実行</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Not running</source>
        <translation>実行していません</translation>
    </message>
    <message>
        <source>Running: the conclusion comes when every variant has trained.</source>
        <translation>実行中：すべての条件の学習が終わると結論が出ます。</translation>
    </message>
    <message numerus="yes">
        <source>Run it to train its %n networks one after the other on a part of MNIST and read the conclusion here.</source>
        <translation>
            <numerusform>実行すると、MNIST の一部で %n 個のネットワークを順に学習させ、ここに結論を表示します。</numerusform>
        </translation>
    </message>
    <message>
        <source>Stopped before the end: no conclusion.</source>
        <translation>最後まで実行せずに停止したため、結論はありません。</translation>
    </message>
    <message>
        <source>The experiment could not finish.</source>
        <translation>実験を最後まで実行できませんでした。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Conclusion&lt;/b&gt; (measured in {0}): {1}</source>
        <translation>&lt;b&gt;結論&lt;/b&gt;（{0} で測定）：{1}</translation>
    </message>
    <message>
        <source>A training run is under way: wait for it, or stop it</source>
        <translation>学習の実行中です。終わるまで待つか、停止してください</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>Preparing the images…</source>
        <translation>画像を準備しています…</translation>
    </message>
    <message>
        <source>Stopping after this batch…</source>
        <translation>このバッチの後で停止します…</translation>
    </message>
    <message>
        <source>Paused at %p%</source>
        <translation>%p% で一時停止中</translation>
    </message>
    <message>
        <source>{0} ({1} of {2}) · epoch {3}/{4} · %p%</source>
        <translation>{0}（{2} 個中 {1} 個目）· エポック {3}/{4} · %p%</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>停止しました</translation>
    </message>
    <message>
        <source>Done in {0}</source>
        <translation>{0} で完了</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗しました</translation>
    </message>
</context>
<context>
    <name>Explanations</name>
    <message>
        <source>&lt;b&gt;Output: softmax&lt;/b&gt;&lt;br&gt;The last layer&apos;s scores z&lt;sub&gt;k&lt;/sub&gt; become probabilities p&lt;sub&gt;k&lt;/sub&gt; = exp(z&lt;sub&gt;k&lt;/sub&gt;) / Σ&lt;sub&gt;j&lt;/sub&gt; exp(z&lt;sub&gt;j&lt;/sub&gt;).&lt;br&gt;&lt;b&gt;Loss: cross-entropy&lt;/b&gt;&lt;br&gt;E = −Σ&lt;sub&gt;k&lt;/sub&gt; t&lt;sub&gt;k&lt;/sub&gt; log p&lt;sub&gt;k&lt;/sub&gt;, with t&lt;sub&gt;k&lt;/sub&gt; = 1 for the true digit and 0 otherwise: minus the log of the probability given to the right answer.</source>
        <translation>&lt;b&gt;出力層：ソフトマックス関数&lt;/b&gt;&lt;br&gt;最後の層の出力 z&lt;sub&gt;k&lt;/sub&gt; を確率 p&lt;sub&gt;k&lt;/sub&gt; = exp(z&lt;sub&gt;k&lt;/sub&gt;) / Σ&lt;sub&gt;j&lt;/sub&gt; exp(z&lt;sub&gt;j&lt;/sub&gt;) に変換する。&lt;br&gt;&lt;b&gt;損失関数：交差エントロピー&lt;/b&gt;&lt;br&gt;E = −Σ&lt;sub&gt;k&lt;/sub&gt; t&lt;sub&gt;k&lt;/sub&gt; log p&lt;sub&gt;k&lt;/sub&gt;（t&lt;sub&gt;k&lt;/sub&gt; は正解の数字で 1、それ以外で 0）。正解に割り当てた確率の対数にマイナスを付けたもの。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Learning rate η (gradient descent)&lt;/b&gt;&lt;br&gt;Each step moves every weight a little downhill on the error: w&lt;sup&gt;(t+1)&lt;/sup&gt; = w&lt;sup&gt;(t)&lt;/sup&gt; − η ∇E(w&lt;sup&gt;(t)&lt;/sup&gt;). Too large an η overshoots and diverges; too small learns slowly.</source>
        <translation>&lt;b&gt;学習率 η（勾配降下法）&lt;/b&gt;&lt;br&gt;各ステップで、すべての重みを誤差が減る方向に少しずつ動かす：w&lt;sup&gt;(t+1)&lt;/sup&gt; = w&lt;sup&gt;(t)&lt;/sup&gt; − η ∇E(w&lt;sup&gt;(t)&lt;/sup&gt;)。η が大きすぎると行き過ぎて発散し、小さすぎると学習が遅い。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Mini-batch (stochastic gradient descent)&lt;/b&gt;&lt;br&gt;The gradient is estimated on a random mini-batch of B images instead of all of them: ∇E ≈ (1/B) Σ&lt;sub&gt;n ∈ batch&lt;/sub&gt; ∇E&lt;sub&gt;n&lt;/sub&gt;. Smaller batches take more, noisier steps per epoch.</source>
        <translation>&lt;b&gt;ミニバッチ（確率的勾配降下法）&lt;/b&gt;&lt;br&gt;勾配を全画像ではなく、ランダムに選んだ B 枚のミニバッチで見積もる：∇E ≈ (1/B) Σ&lt;sub&gt;n ∈ batch&lt;/sub&gt; ∇E&lt;sub&gt;n&lt;/sub&gt;。バッチが小さいほど、1 エポックあたりのステップ数は増え、各ステップのばらつきも大きくなる。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Epoch&lt;/b&gt;&lt;br&gt;One pass over all N training images, in a new random order each time: N / B steps of the optimizer.</source>
        <translation>&lt;b&gt;エポック&lt;/b&gt;&lt;br&gt;N 枚の訓練画像すべてを（毎回ランダムな順番で）一巡すること。最適化手法のステップ N / B 回分に当たる。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Backpropagation&lt;/b&gt;&lt;br&gt;The gradient of the loss is passed backwards layer by layer with the chain rule: δ = ∂E/∂u, ∂E/∂W = δ x&lt;sup&gt;T&lt;/sup&gt;, and the layer below gets δ&apos; = f&apos;(u&apos;) ⊙ W&lt;sup&gt;T&lt;/sup&gt;δ.</source>
        <translation>&lt;b&gt;誤差逆伝播法&lt;/b&gt;&lt;br&gt;損失の勾配を連鎖律によって出力側から一層ずつ逆向きに伝える：δ = ∂E/∂u、∂E/∂W = δ x&lt;sup&gt;T&lt;/sup&gt;、一つ下の層には δ&apos; = f&apos;(u&apos;) ⊙ W&lt;sup&gt;T&lt;/sup&gt;δ が伝わる。</translation>
    </message>
    <message>
        <source>&lt;b&gt;SGD&lt;/b&gt;&lt;br&gt;w ← w − η ∇E, with ∇E measured on each mini-batch.</source>
        <translation>&lt;b&gt;SGD（確率的勾配降下法）&lt;/b&gt;&lt;br&gt;w ← w − η ∇E。∇E はミニバッチごとに計算する。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Momentum SGD&lt;/b&gt;&lt;br&gt;A velocity gathers the past gradients and smooths the zig-zags: v ← μv − η∇E, w ← w + v (μ = 0.9).</source>
        <translation>&lt;b&gt;モーメンタム SGD&lt;/b&gt;&lt;br&gt;過去の勾配を「速度」として蓄積し、ジグザグな動きを滑らかにする：v ← μv − η∇E、w ← w + v（μ = 0.9）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Adam&lt;/b&gt; (Kingma &amp;amp; Ba 2015)&lt;br&gt;Running means of the gradient g and of its square: m ← β&lt;sub&gt;1&lt;/sub&gt;m + (1−β&lt;sub&gt;1&lt;/sub&gt;)g, v ← β&lt;sub&gt;2&lt;/sub&gt;v + (1−β&lt;sub&gt;2&lt;/sub&gt;)g&lt;sup&gt;2&lt;/sup&gt;; bias correction m̂ = m / (1−β&lt;sub&gt;1&lt;/sub&gt;&lt;sup&gt;t&lt;/sup&gt;), v̂ = v / (1−β&lt;sub&gt;2&lt;/sub&gt;&lt;sup&gt;t&lt;/sup&gt;); step w ← w − η m̂ / (√v̂ + ε), with β&lt;sub&gt;1&lt;/sub&gt; = 0.9, β&lt;sub&gt;2&lt;/sub&gt; = 0.999. Each weight gets its own step size.</source>
        <translation>&lt;b&gt;Adam&lt;/b&gt;（Kingma &amp;amp; Ba 2015）&lt;br&gt;勾配 g とその二乗の移動平均：m ← β&lt;sub&gt;1&lt;/sub&gt;m + (1−β&lt;sub&gt;1&lt;/sub&gt;)g、v ← β&lt;sub&gt;2&lt;/sub&gt;v + (1−β&lt;sub&gt;2&lt;/sub&gt;)g&lt;sup&gt;2&lt;/sup&gt;。バイアス補正 m̂ = m / (1−β&lt;sub&gt;1&lt;/sub&gt;&lt;sup&gt;t&lt;/sup&gt;)、v̂ = v / (1−β&lt;sub&gt;2&lt;/sub&gt;&lt;sup&gt;t&lt;/sup&gt;)。更新 w ← w − η m̂ / (√v̂ + ε)（β&lt;sub&gt;1&lt;/sub&gt; = 0.9、β&lt;sub&gt;2&lt;/sub&gt; = 0.999）。重みごとに固有のステップ幅になる。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Learning-rate schedule&lt;/b&gt;&lt;br&gt;η can change during the run. Cosine: η&lt;sub&gt;t&lt;/sub&gt; = η&lt;sub&gt;min&lt;/sub&gt; + ½(η − η&lt;sub&gt;min&lt;/sub&gt;)(1 + cos(πt/T)). One-cycle (Smith &amp;amp; Topin 2019): warm up to η over the first 30% of the steps, then anneal.</source>
        <translation>&lt;b&gt;学習率スケジュール&lt;/b&gt;&lt;br&gt;学習の途中で η を変える。コサイン：η&lt;sub&gt;t&lt;/sub&gt; = η&lt;sub&gt;min&lt;/sub&gt; + ½(η − η&lt;sub&gt;min&lt;/sub&gt;)(1 + cos(πt/T))。ワンサイクル（Smith &amp;amp; Topin 2019）：最初の 30% のステップで η まで上げ（ウォームアップ）、その後は下げていく。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Saliency&lt;/b&gt; (Simonyan et al. 2014)&lt;br&gt;How much each input pixel moves the score of class c: s = ∂y&lt;sub&gt;c&lt;/sub&gt;/∂x, computed by backpropagation down to the pixels (y&lt;sub&gt;c&lt;/sub&gt; is the score before the softmax). Red: more ink there would raise the score; blue: it would lower it. The stronger the colour, the larger |s|.</source>
        <translation>&lt;b&gt;サリエンシー（顕著性）&lt;/b&gt;（Simonyan et al. 2014）&lt;br&gt;各入力画素がクラス c のスコアをどれだけ動かすか：s = ∂y&lt;sub&gt;c&lt;/sub&gt;/∂x。誤差逆伝播法で画素まで遡って計算する（y&lt;sub&gt;c&lt;/sub&gt; はソフトマックス前のスコア）。赤：そこにインクを足すとスコアが上がる。青：下がる。色が濃いほど |s| が大きい。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Preprocessing&lt;/b&gt;&lt;br&gt;Done as for the MNIST digits: crop to the ink, scale the longer side to 20 px (keeping the aspect ratio, strokes brought to MNIST&apos;s width), and place the result in a 28×28 field so that its centre of mass (Σ x&lt;sub&gt;ij&lt;/sub&gt;·(i, j) / Σ x&lt;sub&gt;ij&lt;/sub&gt;) lands on the centre (14, 14).</source>
        <translation>&lt;b&gt;前処理&lt;/b&gt;&lt;br&gt;MNIST の数字と同じ手順：インクのある範囲を切り出し、長い辺が 20 px になるよう縦横比を保って拡大縮小し（線の太さは MNIST に合わせる）、重心（Σ x&lt;sub&gt;ij&lt;/sub&gt;·(i, j) / Σ x&lt;sub&gt;ij&lt;/sub&gt;）が中心 (14, 14) に来るよう 28×28 の枠に配置する。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Confusion matrix&lt;/b&gt;&lt;br&gt;C&lt;sub&gt;ij&lt;/sub&gt; = the number of test digits of class i that the network read as j. The diagonal holds the right answers; per-class accuracy is C&lt;sub&gt;ii&lt;/sub&gt; / Σ&lt;sub&gt;j&lt;/sub&gt; C&lt;sub&gt;ij&lt;/sub&gt;. Click a cell to see its digits.</source>
        <translation>&lt;b&gt;混同行列&lt;/b&gt;&lt;br&gt;C&lt;sub&gt;ij&lt;/sub&gt; = クラス i のテスト画像をネットワークが j と認識した枚数。対角成分が正解で、クラスごとの正解率は C&lt;sub&gt;ii&lt;/sub&gt; / Σ&lt;sub&gt;j&lt;/sub&gt; C&lt;sub&gt;ij&lt;/sub&gt;。セルをクリックするとその画像を表示する。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Probe digits&lt;/b&gt;&lt;br&gt;Pinned drawings are predicted again with every snapshot of the weights during training, p = softmax(f(x; w&lt;sub&gt;t&lt;/sub&gt;)), so you can watch the network learn them.</source>
        <translation>&lt;b&gt;プローブ数字&lt;/b&gt;&lt;br&gt;ピン留めした数字を、学習中に重みのスナップショットが届くたびに認識し直す：p = softmax(f(x; w&lt;sub&gt;t&lt;/sub&gt;))。ネットワークがそれらを覚えていく様子を観察できる。</translation>
    </message>
    <message>
        <source>&lt;b&gt;First-layer weights&lt;/b&gt;&lt;br&gt;Unit j computes u&lt;sub&gt;j&lt;/sub&gt; = Σ&lt;sub&gt;i&lt;/sub&gt; w&lt;sub&gt;ji&lt;/sub&gt; x&lt;sub&gt;i&lt;/sub&gt; + b&lt;sub&gt;j&lt;/sub&gt; over the 784 pixels; its weights, shown as a 28×28 image, are the pattern that excites it most (red: ink there raises u, blue: lowers it).</source>
        <translation>&lt;b&gt;第1層の重み&lt;/b&gt;&lt;br&gt;ユニット j は 784 画素に対して u&lt;sub&gt;j&lt;/sub&gt; = Σ&lt;sub&gt;i&lt;/sub&gt; w&lt;sub&gt;ji&lt;/sub&gt; x&lt;sub&gt;i&lt;/sub&gt; + b&lt;sub&gt;j&lt;/sub&gt; を計算する。その重みを 28×28 の画像として表示したものが、そのユニットを最も強く反応させるパターンである（赤：そこにインクがあると u が上がる、青：下がる）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;One unit&apos;s arithmetic&lt;/b&gt;&lt;br&gt;A convolution unit lays its kernel on a patch of its input, multiplies them element by element and adds the products and a bias: u = Σ&lt;sub&gt;c,i,j&lt;/sub&gt; x&lt;sub&gt;c,i,j&lt;/sub&gt; w&lt;sub&gt;c,i,j&lt;/sub&gt; + b; its activation gives the output z = f(u), e.g. max(0, u). A fully connected unit does the same over all its inputs: u = Σ&lt;sub&gt;i&lt;/sub&gt; w&lt;sub&gt;i&lt;/sub&gt; x&lt;sub&gt;i&lt;/sub&gt; + b. Max pooling keeps the largest value of its window, average pooling their mean. Local contrast normalization subtracts the local mean m and divides by max(σ̄, σ, ε). The receptive field is every input pixel the unit&apos;s value depends on. Point at a unit in the feature maps to see its numbers for your drawing; click it to keep it.</source>
        <translation>&lt;b&gt;1つのユニットの計算&lt;/b&gt;&lt;br&gt;畳込みのユニットは、入力の一部（パッチ）にカーネルを重ね、要素ごとに掛け合わせて、その積とバイアスを足します：u = Σ&lt;sub&gt;c,i,j&lt;/sub&gt; x&lt;sub&gt;c,i,j&lt;/sub&gt; w&lt;sub&gt;c,i,j&lt;/sub&gt; + b。活性化関数が出力 z = f(u)（例：max(0, u)）を与えます。全結合のユニットは同じことをすべての入力について行います：u = Σ&lt;sub&gt;i&lt;/sub&gt; w&lt;sub&gt;i&lt;/sub&gt; x&lt;sub&gt;i&lt;/sub&gt; + b。最大プーリングは窓の中の最大値を、平均プーリングは平均を出力します。局所コントラスト正規化は局所平均 m を引き、max(σ̄, σ, ε) で割ります。受容野とは、そのユニットの値を左右するすべての入力画素です。特徴マップのユニットにポインタを合わせると、描いた数字での実際の数値が表示され、クリックするとその表示が固定されます。</translation>
    </message>
    <message>
        <source>&lt;b&gt;A map of what the network knows&lt;/b&gt;&lt;br&gt;Each test digit is passed through the network up to its last hidden layer h (the numbers the output layer reads). The map shows the two directions in which these vectors differ most (principal component analysis): a point&apos;s position is (h − h̄)·v&lt;sub&gt;1&lt;/sub&gt;, (h − h̄)·v&lt;sub&gt;2&lt;/sub&gt;. Digits the network finds alike lie close together; a well-trained network gathers each digit in its own cluster. Your drawing is placed on the same map with every stroke.</source>
        <translation>&lt;b&gt;ネットワークが知っていることの地図&lt;/b&gt;&lt;br&gt;各テスト画像をネットワークの最後の中間層 h（出力層が読む値）まで通します。地図は、これらのベクトルがいちばん大きく異なる2つの方向（主成分分析）を表し、点の位置は (h − h̄)·v&lt;sub&gt;1&lt;/sub&gt;、(h − h̄)·v&lt;sub&gt;2&lt;/sub&gt; です。ネットワークが似ていると見なす数字は近くに集まり、よく学習したネットワークでは数字ごとにまとまったクラスタができます。描いた数字も、一画ごとに同じ地図の上に置かれます。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Across the epochs&lt;/b&gt;&lt;br&gt;The weights w&lt;sub&gt;e&lt;/sub&gt; at the end of each epoch e of the run are kept. For your drawing x the view computes again what the network made of it then: the probabilities p = softmax(f(x; w&lt;sub&gt;e&lt;/sub&gt;)), the saliency ∂y&lt;sub&gt;c&lt;/sub&gt;/∂x and the feature maps, so you can see when it learned your digit.</source>
        <translation>&lt;b&gt;エポックをまたいで&lt;/b&gt;&lt;br&gt;学習の各エポック e の終わりの重み w&lt;sub&gt;e&lt;/sub&gt; を保存しておきます。描いた数字 x について、そのときネットワークがどう判断したかを計算し直します：確率 p = softmax(f(x; w&lt;sub&gt;e&lt;/sub&gt;))、サリエンシー ∂y&lt;sub&gt;c&lt;/sub&gt;/∂x、特徴マップ。ネットワークがいつその数字を覚えたかがわかります。</translation>
    </message>
    <message>
        <source>&lt;b&gt;How it breaks&lt;/b&gt;&lt;br&gt;The test digits are changed a little, then more: rotated, scaled, their strokes thinned or thickened, blurred, covered with noise or scattered dots, moved. Each curve is the accuracy, the share of the changed digits recognised, at each amount of change (Mu &amp;amp; Gilmer 2019, MNIST-C). Two models are measured on exactly the same changed digits, so their curves can be compared: a network trained with augmentation usually falls more slowly.</source>
        <translation>&lt;b&gt;崩れ方&lt;/b&gt;&lt;br&gt;テスト画像を少しずつ大きく変形します：回転、拡大縮小、線を細く・太く、ぼかし、ノイズや点をまき散らす、平行移動。各曲線は、変形の大きさごとの正解率（変形した画像のうち正しく認識した割合）です（Mu &amp;amp; Gilmer 2019、MNIST-C）。2つのモデルはまったく同じ変形画像で測るので、曲線をそのまま比べられます。データ拡張をして学習したネットワークは、ふつう下がり方がゆるやかです。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Gradient norm per layer&lt;/b&gt;&lt;br&gt;‖∂E/∂w‖, the size of the gradient backpropagation brings each layer. Going back, each layer multiplies it by its weights and by the derivative of its activation: the sigmoid&apos;s is at most ¼ (σ′(u) = σ(u)(1 − σ(u))), so in a deep sigmoid network the first layers get gradients hundreds of times smaller than the last — the &lt;i&gt;vanishing gradient&lt;/i&gt; — and hardly learn. ReLU&apos;s derivative is 1 where a unit is active, so its gradients keep their size.</source>
        <translation>&lt;b&gt;層ごとの勾配のノルム&lt;/b&gt;&lt;br&gt;‖∂E/∂w‖：誤差逆伝播が各層に届ける勾配の大きさです。逆向きにたどるごとに、勾配には各層の重みと活性化関数の微分が掛かります。シグモイドの微分は最大でも ¼（σ′(u) = σ(u)(1 − σ(u))）なので、深いシグモイドのネットワークでは最初の層の勾配が最後の層の数百分の 1 になり（&lt;i&gt;勾配消失&lt;/i&gt;）、ほとんど学習しません。ReLU の微分は活性なユニットでは 1 なので、勾配の大きさが保たれます。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Update / weight ratio&lt;/b&gt;&lt;br&gt;‖Δw‖ / ‖w‖: how much one step changes a layer&apos;s weights, relative to their size. Around 10&lt;sup&gt;−3&lt;/sup&gt; (the dashed line) is a healthy step; 10&lt;sup&gt;−1&lt;/sup&gt; and more tears the weights apart (the learning rate is too high); 10&lt;sup&gt;−6&lt;/sup&gt; hardly moves them (too low, or a vanishing gradient).</source>
        <translation>&lt;b&gt;更新量と重みの比&lt;/b&gt;&lt;br&gt;‖Δw‖ / ‖w‖：1 ステップで層の重みがその大きさに比べてどれだけ変わるか。10&lt;sup&gt;−3&lt;/sup&gt; 前後（破線）が健全なステップです。10&lt;sup&gt;−1&lt;/sup&gt; 以上では重みが壊れ（学習率が高すぎ）、10&lt;sup&gt;−6&lt;/sup&gt; ではほとんど動きません（学習率が低すぎるか、勾配消失）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Dead ReLUs&lt;/b&gt;&lt;br&gt;The share of a ReLU layer&apos;s units that give 0 for every image of a batch. Such a unit&apos;s gradient is 0 as well (ReLU′(u) = 0 for u &amp;lt; 0), so nothing brings it back: a too large step can push most of a layer there, and the network loses its capacity.</source>
        <translation>&lt;b&gt;死んだ ReLU&lt;/b&gt;&lt;br&gt;ReLU 層のユニットのうち、バッチのどの画像に対しても 0 を出すものの割合です。そのようなユニットの勾配も 0 なので（u &amp;lt; 0 では ReLU′(u) = 0）、元に戻ることはありません。大きすぎるステップで層の大部分がこうなると、ネットワークは表現力を失います。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Weights now and at the start&lt;/b&gt;&lt;br&gt;How the chosen layer&apos;s weights are spread (bars), against the weights the run started from (the faint outline: He or Glorot initialisation, chosen by the activation). Learning widens and reshapes the spread; a layer whose weights stay on the outline has hardly learned.</source>
        <translation>&lt;b&gt;現在の重みと開始時の重み&lt;/b&gt;&lt;br&gt;選んだ層の重みの分布（棒）を、学習開始時の重み（薄い輪郭：活性化関数に合わせた He または Glorot の初期値）と比べます。学習が進むと分布が広がり形が変わります。重みが輪郭のままの層はほとんど学習していません。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Comparing runs&lt;/b&gt;&lt;br&gt;Every run trained in this session is listed, with the curves of the model files opened. Tick several to draw their smoothed loss and their accuracy per epoch together, each in its own colour; each is named by the settings that differ between the runs ticked, so the difference the curves show is the difference of those settings.</source>
        <translation>&lt;b&gt;学習の比較&lt;/b&gt;&lt;br&gt;このセッションで学習したすべての学習と、開いたモデルファイルの曲線が並びます。いくつかにチェックを入れると、平滑化した損失とエポックごとの正解率を色分けして重ねて描きます。各曲線にはチェックした学習の間で異なる設定が名前として付くので、曲線の違いはその設定の違いによるものだとわかります。</translation>
    </message>
    <message>
        <source>&lt;b&gt;The training doctor&lt;/b&gt;&lt;br&gt;It reads the loss of every batch, the curves of each epoch and each layer&apos;s measurements, and says what goes wrong: a learning rate too high (the loss explodes or climbs back) or too low (it hardly falls), overfitting (the validation loss rises while the training loss falls), vanishing gradients, dead units, a stalled run. Each comes with its measured numbers and a change to try in the next run.</source>
        <translation>&lt;b&gt;学習ドクター&lt;/b&gt;&lt;br&gt;各バッチの損失、各エポックの曲線、各層の測定値を読み、何がうまくいっていないかを伝えます：学習率が高すぎる（損失が発散する、または上がり戻る）、低すぎる（ほとんど下がらない）、過学習（学習データの損失が下がるのに検証データの損失が上がる）、勾配消失、死んだユニット、学習の停滞。それぞれに測定した数値と、次の学習で試す変更が付きます。</translation>
    </message>
    <message>
        <source>&lt;b&gt;What it shows&lt;/b&gt;&lt;br&gt;Plain SGD steps down the gradient: w ← w − η∇E. Momentum keeps a velocity, v ← μv − η∇E, w ← w + v, so steps in a steady direction grow and zigzags cancel. Adam scales each weight&apos;s step by the running size of its own gradients (Kingma &amp;amp; Ba 2015), so every weight moves at a similar pace. The curves show how many steps each needs for the same accuracy.</source>
        <translation>&lt;b&gt;わかること&lt;/b&gt;&lt;br&gt;素の SGD は勾配を下ります：w ← w − η∇E。モーメンタムは速度を持ち（v ← μv − η∇E、w ← w + v）、一定の方向へのステップは大きくなり、ジグザグは打ち消し合います。Adam は各重みのステップをその重み自身の勾配の大きさの移動平均で割るので（Kingma &amp;amp; Ba 2015）、どの重みも同じような速さで動きます。曲線から、同じ正解率に達するまでに必要なステップ数がわかります。</translation>
    </message>
    <message>
        <source>&lt;b&gt;What it shows&lt;/b&gt;&lt;br&gt;The vanishing gradient. Backpropagation multiplies the gradient by f′(u) at every layer; the sigmoid&apos;s f′ is at most ¼, so after five layers the first layer&apos;s gradient is hundreds of times smaller than the last&apos;s and it hardly learns. ReLU&apos;s f′ is 1 for active units. Watch the Why it learns tab while it runs.</source>
        <translation>&lt;b&gt;わかること&lt;/b&gt;&lt;br&gt;勾配消失です。誤差逆伝播では層ごとに勾配に f′(u) が掛かります。シグモイドの f′ は最大でも ¼ なので、5 層たどると最初の層の勾配は最後の層の数百分の 1 になり、ほとんど学習しません。ReLU の f′ は活性なユニットでは 1 です。実行中は「学習のしくみ」タブを見てください。</translation>
    </message>
    <message>
        <source>&lt;b&gt;What it shows&lt;/b&gt;&lt;br&gt;Squared error E = ½Σ(y&lt;sub&gt;k&lt;/sub&gt; − t&lt;sub&gt;k&lt;/sub&gt;)² on the outputs fits all ten as a regression; its gradient fades when an output is confidently wrong. Softmax cross-entropy E = −log p&lt;sub&gt;t&lt;/sub&gt; has the gradient p − t: the more wrong, the larger the step. It learns to classify faster.</source>
        <translation>&lt;b&gt;わかること&lt;/b&gt;&lt;br&gt;出力に対する二乗誤差 E = ½Σ(y&lt;sub&gt;k&lt;/sub&gt; − t&lt;sub&gt;k&lt;/sub&gt;)² は 10 個の出力すべてを回帰として合わせるもので、出力が自信を持って間違っているときには勾配が小さくなります。ソフトマックス交差エントロピー E = −log p&lt;sub&gt;t&lt;/sub&gt; の勾配は p − t で、間違いが大きいほどステップも大きくなります。こちらのほうが早く分類を学習します。</translation>
    </message>
    <message>
        <source>&lt;b&gt;What it shows&lt;/b&gt;&lt;br&gt;Batch gradient descent computes the exact gradient over all the training images before each step: one step per pass. Mini-batch SGD estimates it on 64 images and steps at once: noisier steps, but hundreds of them in the same time, and it gets much further.</source>
        <translation>&lt;b&gt;わかること&lt;/b&gt;&lt;br&gt;バッチ勾配降下法は、各ステップの前にすべての学習画像で正確な勾配を計算します。1 回のパスで 1 ステップです。ミニバッチ SGD は 64 枚の画像で勾配を見積もってすぐに更新します。ステップはばらつきますが、同じ時間に数百ステップ進めるので、はるかに先まで到達します。</translation>
    </message>
    <message>
        <source>&lt;b&gt;What it shows&lt;/b&gt;&lt;br&gt;Overfitting: trained long on few images, a large network learns them by heart, and its loss on new digits rises again while its training loss falls. Dropout (Srivastava et al. 2014) switches each hidden unit off at random with probability p in every step, so no unit can rely on another: the gap between the training and the new digits shrinks.</source>
        <translation>&lt;b&gt;わかること&lt;/b&gt;&lt;br&gt;過学習：少ない画像で長く学習すると、大きなネットワークは画像を丸暗記し、学習データの損失は下がるのに新しい数字での損失は再び上がります。ドロップアウト（Srivastava et al. 2014）は各ステップで中間層のユニットを確率 p でランダムに止めるので、どのユニットもほかのユニットに頼れません。学習データと新しい数字の差が縮まります。</translation>
    </message>
    <message>
        <source>&lt;b&gt;What it shows&lt;/b&gt;&lt;br&gt;With only 2,000 images, a network sees each one many times. Augmentation rotates, scales, shears and shifts every image anew in each epoch: the network never sees the same image twice and has to learn what does not change — the digit — which makes fewer errors on new digits.</source>
        <translation>&lt;b&gt;わかること&lt;/b&gt;&lt;br&gt;画像が 2,000 枚しかないと、ネットワークは同じ画像を何度も見ます。データ拡張はエポックごとにすべての画像を新たに回転・拡大縮小・せん断・平行移動するので、ネットワークは同じ画像を二度と見ず、変わらないもの（数字そのもの）を学ぶしかありません。そのため新しい数字での誤りが減ります。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Not a digit?&lt;/b&gt;&lt;br&gt;Besides the ten digits, the network has an 11th output, “not a digit”, trained on drawings made to be no digit: letters and symbols, scribbles, shapes, and digits cut in half, overlapped or crossed out. Its digit score s = 1 − p&lt;sub&gt;not a digit&lt;/sub&gt; says how much a drawing looks like any digit at all. Under the threshold t the answer is “Not a digit?”, with the best guess greyed out beside it; t is chosen after training so that only a few of the held-out digits fall under it. The ten probabilities are those of the digits alone, p&lt;sub&gt;k&lt;/sub&gt; = exp(z&lt;sub&gt;k&lt;/sub&gt;/T) / Σ&lt;sub&gt;j≤9&lt;/sub&gt; exp(z&lt;sub&gt;j&lt;/sub&gt;/T), with a temperature T fitted on held-out digits so that “90% sure” is right about 90% of the time. Model files of format version 1, and networks trained without negatives, never refuse.</source>
        <translation>&lt;b&gt;数字ではない？&lt;/b&gt;&lt;br&gt;このネットワークには 10 個の数字のほかに 11 番目の出力「数字ではない」があり、数字にならないように作った絵（文字や記号、なぐり書き、図形、半分に切ったり重ねたり線で消したりした数字）で学習している。数字らしさ s = 1 − p&lt;sub&gt;数字ではない&lt;/sub&gt; は、絵がそもそもどれだけ数字らしいかを表す。しきい値 t より下なら答えは「数字ではない？」になり、いちばん近い数字が灰色で横に示される。t は学習後、取り分けておいた数字のうちごく少数だけがその下に来るように決める。10 個の確率は数字だけのもので、p&lt;sub&gt;k&lt;/sub&gt; = exp(z&lt;sub&gt;k&lt;/sub&gt;/T) / Σ&lt;sub&gt;j≤9&lt;/sub&gt; exp(z&lt;sub&gt;j&lt;/sub&gt;/T)。温度 T は取り分けておいた数字で合わせ、「確信度 90%」の答えがおよそ 90% 正しくなるようにする。フォーマット・バージョン 1 のモデルファイルと、負例なしで学習したネットワークは「数字ではない」とは答えない。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Reliability diagram&lt;/b&gt;&lt;br&gt;The test digits are grouped by how sure the network is, its top probability. Each bar is one group: its height is the share of right answers in the group, its place the group&apos;s mean confidence, and the number on it how many digits it holds. A network whose probabilities can be trusted has its bars on the diagonal: of the answers given 90% sure, 90% are right. &lt;b&gt;Expected calibration error&lt;/b&gt; (Naeini et al. 2015): ECE = Σ&lt;sub&gt;b&lt;/sub&gt; (n&lt;sub&gt;b&lt;/sub&gt;/N) |acc&lt;sub&gt;b&lt;/sub&gt; − conf&lt;sub&gt;b&lt;/sub&gt;|, the gaps weighted by how many answers each group holds. The refusal rate is the share of the test digits the model answers “not a digit” for.</source>
        <translation>&lt;b&gt;信頼性図&lt;/b&gt;&lt;br&gt;テスト画像を、ネットワークの確信度（いちばん高い確率）でグループに分ける。棒 1 本が 1 グループで、高さはそのグループの正解の割合、位置はグループの平均確信度、上の数字はそこに入る画像の数。確率を信頼できるネットワークでは棒が対角線に並ぶ：確信度 90% の答えの 90% が正しい。&lt;b&gt;期待較正誤差&lt;/b&gt;（Naeini et al. 2015）：ECE = Σ&lt;sub&gt;b&lt;/sub&gt; (n&lt;sub&gt;b&lt;/sub&gt;/N) |acc&lt;sub&gt;b&lt;/sub&gt; − conf&lt;sub&gt;b&lt;/sub&gt;|。各グループのずれを、そこに入る答えの数で重み付けしたもの。拒否率は、テスト画像のうちモデルが「数字ではない」と答えた割合。</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>説明</translation>
    </message>
</context>
<context>
    <name>FeatureMapView</name>
    <message>
        <source>Feature maps</source>
        <translation>特徴マップ</translation>
    </message>
    <message>
        <source>Draw a digit to see how each layer responds to it</source>
        <translation>数字を書くと、各層がどう反応するかを表示します</translation>
    </message>
    <message>
        <source>Input of the normalization</source>
        <translation>正規化の入力</translation>
    </message>
    <message>
        <source>After the normalization</source>
        <translation>正規化の後</translation>
    </message>
    <message>
        <source>Point at a unit to see its arithmetic; click to keep it</source>
        <translation>ユニットにポインタを合わせると計算を表示し、クリックで固定します</translation>
    </message>
    <message>
        <source>This network has no layers to show here.</source>
        <translation>このネットワークにはここで表示できる層がありません。</translation>
    </message>
    <message>
        <source>Channel {0}: {1:.3g} … {2:.3g}</source>
        <translation>チャネル {0}：{1:.3g} … {2:.3g}</translation>
    </message>
    <message>
        <source>The {0} units of this layer, as a grid.</source>
        <translation>この層の {0} 個のユニットを格子状に並べたもの。</translation>
    </message>
    <message>
        <source>{0} channels of {1}×{2}.</source>
        <translation>{1}×{2} のチャネルが {0} 枚。</translation>
    </message>
    <message>
        <source>{0} Red: positive, blue: negative, white: 0 (full colour at ±{1:.3g}).</source>
        <translation>{0}赤：正、青：負、白：0（±{1:.3g} で最も濃い色）。</translation>
    </message>
</context>
<context>
    <name>FilterView</name>
    <message>
        <source>First-layer filters</source>
        <translation>第1層のフィルタ</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>モデルがありません</translation>
    </message>
    <message>
        <source>This network&apos;s first layer is neither a convolution nor a fully connected layer on the pixels.</source>
        <translation>このネットワークの第1層は、畳込み層でも画素に対する全結合層でもありません。</translation>
    </message>
    <message>
        <source>{0} convolution filters of {1}×{2} weights. Red: positive, blue: negative; each filter is scaled to its own largest weight.</source>
        <translation>{1}×{2} の重みをもつ畳込みフィルタ {0} 個。赤：正、青：負。各フィルタはそれ自身の最大の重みで正規化して表示。</translation>
    </message>
    <message>
        <source>Filter {0}: weights {1:.3g} … {2:.3g}</source>
        <translation>フィルタ {0}：重み {1:.3g} … {2:.3g}</translation>
    </message>
    <message>
        <source>First-layer weights</source>
        <translation>第1層の重み</translation>
    </message>
    <message>
        <source>The 784 weights of each of the first {0} of {1} units as a 28×28 image. Red: ink there excites the unit, blue: inhibits it.</source>
        <translation>{1} 個のユニットのうち最初の {0} 個について、784 個の重みを 28×28 の画像として表示。赤：そこにインクがあるとユニットが興奮し、青：抑制される。</translation>
    </message>
    <message>
        <source>Unit {0}: weights {1:.3g} … {2:.3g}</source>
        <translation>ユニット {0}：重み {1:.3g} … {2:.3g}</translation>
    </message>
</context>
<context>
    <name>FineTuneController</name>
    <message>
        <source>Fine-tuning is already running.</source>
        <translation>ファインチューニングはすでに実行中です。</translation>
    </message>
    <message>
        <source>A training run is in progress: wait until it ends, or stop it.</source>
        <translation>学習の実行中です。終わるまで待つか、停止してください。</translation>
    </message>
    <message>
        <source>Add some of your own digits first: there is nothing to learn from yet.</source>
        <translation>先に自分の数字をいくつか追加してください。まだ学習するものがありません。</translation>
    </message>
    <message>
        <source>This network does not read the ten digits.</source>
        <translation>このネットワークは 0〜9 の数字を読むものではありません。</translation>
    </message>
    <message>
        <source>The network has changed since it was fine-tuned, so fine-tuning cannot be undone any more.</source>
        <translation>ファインチューニングの後にネットワークが変わったため、もう元に戻せません。</translation>
    </message>
    <message>
        <source>Fine-tuning undone: the network is back.</source>
        <translation>ファインチューニングを元に戻しました。以前のネットワークに戻っています。</translation>
    </message>
    <message>
        <source>Add some of your own digits first: there is nothing to learn.</source>
        <translation>先に自分の数字をいくつか追加してください。学習するものがありません。</translation>
    </message>
    <message>
        <source>Fine-tuning was stopped before it began; nothing changed.</source>
        <translation>ファインチューニングは始まる前に停止しました。何も変わっていません。</translation>
    </message>
    <message>
        <source>Fine-tuned on your {0} samples: it now reads {1} of them correctly.</source>
        <translation>{0} 個のサンプルでファインチューニングしました。現在の正解率は {1} です。</translation>
    </message>
    <message>
        <source>Fine-tuning failed; the network from before is back.</source>
        <translation>ファインチューニングに失敗しました。以前のネットワークに戻しました。</translation>
    </message>
    <message>
        <source>Fine-tuning needs the MNIST digits, which are not available.</source>
        <translation>ファインチューニングには MNIST の数字が必要ですが、利用できません。</translation>
    </message>
</context>
<context>
    <name>LayerCombo</name>
    <message>
        <source>The layer whose output is shown</source>
        <translation>出力を表示する層</translation>
    </message>
    <message>
        <source>{0}. {1} → {2}</source>
        <translation>{0}. {1} → {2}</translation>
    </message>
</context>
<context>
    <name>Layers</name>
    <message>
        <source>Fully connected</source>
        <translation>全結合</translation>
    </message>
    <message>
        <source>&lt;b&gt;Fully connected layer&lt;/b&gt;&lt;br&gt;Each unit j weighs every input x&lt;sub&gt;i&lt;/sub&gt; and adds a bias: u&lt;sub&gt;j&lt;/sub&gt; = Σ&lt;sub&gt;i&lt;/sub&gt; w&lt;sub&gt;ji&lt;/sub&gt; x&lt;sub&gt;i&lt;/sub&gt; + b&lt;sub&gt;j&lt;/sub&gt;, that is u = Wx + b.</source>
        <translation>&lt;b&gt;全結合層&lt;/b&gt;&lt;br&gt;各ユニット j はすべての入力 x&lt;sub&gt;i&lt;/sub&gt; に重みを掛けて足し、バイアスを加える：u&lt;sub&gt;j&lt;/sub&gt; = Σ&lt;sub&gt;i&lt;/sub&gt; w&lt;sub&gt;ji&lt;/sub&gt; x&lt;sub&gt;i&lt;/sub&gt; + b&lt;sub&gt;j&lt;/sub&gt;、すなわち u = Wx + b。</translation>
    </message>
    <message>
        <source>Flatten</source>
        <translation>平坦化</translation>
    </message>
    <message>
        <source>&lt;b&gt;Flatten&lt;/b&gt;&lt;br&gt;The C maps of H×W values are laid out one after the other as a single vector of C·H·W values, for the fully connected layer that follows.</source>
        <translation>&lt;b&gt;平坦化&lt;/b&gt;&lt;br&gt;H×W の値からなる C 枚のマップを順に並べて、C·H·W 個の値の 1 本のベクトルにし、続く全結合層に渡す。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Activation function&lt;/b&gt;&lt;br&gt;A non-linear function of each unit: z = f(u). ReLU: f(u) = max(0, u); tanh; sigmoid: f(u) = 1 / (1 + e&lt;sup&gt;−u&lt;/sup&gt;). Without it the layers would add up to a single linear map.</source>
        <translation>&lt;b&gt;活性化関数&lt;/b&gt;&lt;br&gt;各ユニットに適用する非線形関数：z = f(u)。ReLU：f(u) = max(0, u)、tanh、シグモイド：f(u) = 1 / (1 + e&lt;sup&gt;−u&lt;/sup&gt;)。これがなければ、層をいくつ重ねても一つの線形写像にしかならない。</translation>
    </message>
    <message>
        <source>ReLU</source>
        <translation>ReLU</translation>
    </message>
    <message>
        <source>sigmoid</source>
        <translation>シグモイド</translation>
    </message>
    <message>
        <source>tanh</source>
        <translation>tanh</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>ドロップアウト</translation>
    </message>
    <message>
        <source>&lt;b&gt;Dropout&lt;/b&gt; (Srivastava et al. 2014)&lt;br&gt;While training, each hidden unit is kept with probability 1 − p and the kept ones are scaled up: y = m ⊙ x / (1 − p), m&lt;sub&gt;j&lt;/sub&gt; ~ Bernoulli(1 − p). At test time y = x. The network cannot rely on any single unit, which reduces overfitting.</source>
        <translation>&lt;b&gt;ドロップアウト&lt;/b&gt;（Srivastava et al. 2014）&lt;br&gt;学習中、各中間ユニットを確率 1 − p で残し、残したものを拡大する：y = m ⊙ x / (1 − p)、m&lt;sub&gt;j&lt;/sub&gt; ~ Bernoulli(1 − p)。テスト時は y = x。ネットワークが特定のユニットに頼れなくなるため、過学習が抑えられる。</translation>
    </message>
    <message>
        <source>Convolution {kernel_size}×{kernel_size}</source>
        <translation>畳込み {kernel_size}×{kernel_size}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Convolution layer&lt;/b&gt;&lt;br&gt;Each filter k slides over the image and at every place takes a weighted sum of the pixels under it: y&lt;sub&gt;k,i,j&lt;/sub&gt; = Σ&lt;sub&gt;c,p,q&lt;/sub&gt; w&lt;sub&gt;k,c,p,q&lt;/sub&gt; x&lt;sub&gt;c,i+p,j+q&lt;/sub&gt; + b&lt;sub&gt;k&lt;/sub&gt;. The same few weights are used everywhere, so a filter finds its pattern (an edge, a stroke end) wherever it is.</source>
        <translation>&lt;b&gt;畳込み層&lt;/b&gt;&lt;br&gt;各フィルタ k を画像上でずらしながら、各位置で重なった画素の重み付き和をとる：y&lt;sub&gt;k,i,j&lt;/sub&gt; = Σ&lt;sub&gt;c,p,q&lt;/sub&gt; w&lt;sub&gt;k,c,p,q&lt;/sub&gt; x&lt;sub&gt;c,i+p,j+q&lt;/sub&gt; + b&lt;sub&gt;k&lt;/sub&gt;。同じ少数の重みをどこでも使うので、フィルタはそのパターン（エッジや線の端など）を画像のどこにあっても見つけられる。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Pooling layer&lt;/b&gt;&lt;br&gt;Max pooling keeps the strongest response in each small window: y&lt;sub&gt;i,j&lt;/sub&gt; = max&lt;sub&gt;(p,q) ∈ P&lt;sub&gt;i,j&lt;/sub&gt;&lt;/sub&gt; x&lt;sub&gt;p,q&lt;/sub&gt; (average pooling takes the mean). The map gets smaller and a small shift of the digit changes it little.</source>
        <translation>&lt;b&gt;プーリング層&lt;/b&gt;&lt;br&gt;最大プーリングは小さな領域ごとに最も強い応答を残す：y&lt;sub&gt;i,j&lt;/sub&gt; = max&lt;sub&gt;(p,q) ∈ P&lt;sub&gt;i,j&lt;/sub&gt;&lt;/sub&gt; x&lt;sub&gt;p,q&lt;/sub&gt;（平均プーリングは平均をとる）。マップが小さくなり、数字が少しずれても出力はあまり変わらない。</translation>
    </message>
    <message>
        <source>Max pooling {kernel_size}×{kernel_size}</source>
        <translation>最大プーリング {kernel_size}×{kernel_size}</translation>
    </message>
    <message>
        <source>Average pooling {kernel_size}×{kernel_size}</source>
        <translation>平均プーリング {kernel_size}×{kernel_size}</translation>
    </message>
    <message>
        <source>Local contrast normalization</source>
        <translation>局所コントラスト正規化</translation>
    </message>
    <message>
        <source>&lt;b&gt;Local contrast normalization&lt;/b&gt; (Jarrett et al. 2009)&lt;br&gt;Subtractive: remove the local mean over a Gaussian window w (across all channels), v&lt;sub&gt;c,i,j&lt;/sub&gt; = x&lt;sub&gt;c,i,j&lt;/sub&gt; − Σ&lt;sub&gt;c&apos;,p,q&lt;/sub&gt; w&lt;sub&gt;p,q&lt;/sub&gt; x&lt;sub&gt;c&apos;,i+p,j+q&lt;/sub&gt;.&lt;br&gt;Divisive: divide by the local spread, y = v / max(σ̄, σ&lt;sub&gt;i,j&lt;/sub&gt;) with σ&lt;sub&gt;i,j&lt;/sub&gt; = √(Σ&lt;sub&gt;c&apos;,p,q&lt;/sub&gt; w&lt;sub&gt;p,q&lt;/sub&gt; v&lt;sub&gt;c&apos;,i+p,j+q&lt;/sub&gt;&lt;sup&gt;2&lt;/sup&gt;) and σ̄ its mean over the image. Faint and strong strokes end up with similar contrast.</source>
        <translation>&lt;b&gt;局所コントラスト正規化&lt;/b&gt;（Jarrett et al. 2009）&lt;br&gt;減算正規化：ガウス窓 w による（全チャネルにわたる）局所平均を引く。v&lt;sub&gt;c,i,j&lt;/sub&gt; = x&lt;sub&gt;c,i,j&lt;/sub&gt; − Σ&lt;sub&gt;c&apos;,p,q&lt;/sub&gt; w&lt;sub&gt;p,q&lt;/sub&gt; x&lt;sub&gt;c&apos;,i+p,j+q&lt;/sub&gt;。&lt;br&gt;除算正規化：局所的な広がりで割る。y = v / max(σ̄, σ&lt;sub&gt;i,j&lt;/sub&gt;)、ただし σ&lt;sub&gt;i,j&lt;/sub&gt; = √(Σ&lt;sub&gt;c&apos;,p,q&lt;/sub&gt; w&lt;sub&gt;p,q&lt;/sub&gt; v&lt;sub&gt;c&apos;,i+p,j+q&lt;/sub&gt;&lt;sup&gt;2&lt;/sup&gt;)、σ̄ はその画像全体での平均。薄い線も濃い線も同じくらいのコントラストになる。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Training</source>
        <translation>学習</translation>
    </message>
    <message>
        <source>Inside</source>
        <translation>ネットワークの中</translation>
    </message>
    <message>
        <source>Your drawing</source>
        <translation>描いた数字</translation>
    </message>
    <message>
        <source>Test results</source>
        <translation>テスト結果</translation>
    </message>
    <message>
        <source>Your handwriting</source>
        <translation>自分の手書き</translation>
    </message>
    <message>
        <source>How your drawing is prepared, and which pixels decide the answer</source>
        <translation>描いた数字の前処理と、答えを決める画素</translation>
    </message>
    <message>
        <source>Where the network puts the test digits and your drawing, in 2-D</source>
        <translation>ネットワークがテスト画像と描いた数字をどこに置くかを2次元で表示</translation>
    </message>
    <message>
        <source>Your drawing after each epoch of the training</source>
        <translation>学習の各エポックの後の、描いた数字の認識</translation>
    </message>
    <message>
        <source>Accuracy on test digits rotated, scaled, blurred, … ; two models side by side</source>
        <translation>回転・拡大縮小・ぼかしなどをしたテスト画像での正解率。2つのモデルを並べて比較</translation>
    </message>
    <message>
        <source>&amp;New Model</source>
        <translation>新しいモデル(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>開く(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>名前を付けて保存(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Undo Stroke</source>
        <translation>一画を取り消す(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Clear Drawing</source>
        <translation>絵を消去(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;About handwrite</source>
        <translation>handwrite について(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>編集(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>The {0} translation is not installed.</source>
        <translation>{0}の翻訳ファイルがインストールされていません。</translation>
    </message>
    <message>
        <source>Language: {0}</source>
        <translation>表示言語：{0}</translation>
    </message>
    <message>
        <source>Training makes a new model. Save the current one?</source>
        <translation>学習すると新しいモデルができます。今のモデルを保存しますか？</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>地図</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>エポック</translation>
    </message>
    <message>
        <source>Robustness</source>
        <translation>頑健性</translation>
    </message>
    <message>
        <source>The filters and feature maps of the network, and one unit&apos;s arithmetic</source>
        <translation>ネットワークのフィルタと特徴マップ、1つのユニットの計算</translation>
    </message>
    <message>
        <source>The confusion matrix of the test digits, and how far the probabilities can be trusted</source>
        <translation>テスト画像の混同行列と、確率をどこまで信頼できるか</translation>
    </message>
    <message>
        <source>Stopping the training before closing…</source>
        <translation>閉じる前に学習を停止しています…</translation>
    </message>
    <message>
        <source>Save the trained model before closing?</source>
        <translation>閉じる前に、学習したモデルを保存しますか？</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <source>Map of what the network knows</source>
        <translation>ネットワークが知っていることの地図</translation>
    </message>
    <message>
        <source>Map the test digits</source>
        <translation>テスト画像を地図にする</translation>
    </message>
    <message>
        <source>Pass 2,000 MNIST test digits through the network and map them</source>
        <translation>MNIST のテスト画像 2,000 枚をネットワークに通して地図にします</translation>
    </message>
    <message>
        <source>%p% of the digits</source>
        <translation>画像の %p%</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Where the network&apos;s last hidden layer puts each test digit, and your drawing (the star).</source>
        <translation>ネットワークの最後の中間層が各テスト画像と描いた数字（星印）を置く場所。</translation>
    </message>
    <message>
        <source>1st principal component</source>
        <translation>第1主成分</translation>
    </message>
    <message>
        <source>2nd principal component</source>
        <translation>第2主成分</translation>
    </message>
    <message>
        <source>your drawing</source>
        <translation>描いた数字</translation>
    </message>
    <message>
        <source>Point at a dot to see its test digit</source>
        <translation>点にポインタを合わせるとそのテスト画像を表示します</translation>
    </message>
    <message>
        <source>Not mapped yet.</source>
        <translation>まだ地図にしていません。</translation>
    </message>
    <message>
        <source>The MNIST test digits are not available.</source>
        <translation>MNIST のテスト画像がありません。</translation>
    </message>
    <message>
        <source>Getting the MNIST test digits…</source>
        <translation>MNIST のテスト画像を準備しています…</translation>
    </message>
    <message>
        <source>There are too few test digits to map.</source>
        <translation>地図にするにはテスト画像が少なすぎます。</translation>
    </message>
    <message>
        <source>The map needs the MNIST test digits.</source>
        <translation>地図を作るには MNIST のテスト画像が必要です。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>キャンセルしました。</translation>
    </message>
    <message>
        <source>Updating the map with the new weights…</source>
        <translation>新しい重みで地図を更新しています…</translation>
    </message>
    <message>
        <source>{0:,} test digits; the last hidden layer&apos;s {1} values, projected on the two directions of largest variance ({2:.0%} and {3:.0%} of it).</source>
        <translation>テスト画像 {0:,} 枚。最後の中間層の {1} 個の値を、分散がいちばん大きい2つの方向（分散の {2:.0%} と {3:.0%}）に射影したもの。</translation>
    </message>
    <message>
        <source>a test “{0}”</source>
        <translation>テスト画像の「{0}」</translation>
    </message>
</context>
<context>
    <name>MnistController</name>
    <message>
        <source>Connecting…</source>
        <translation>接続しています…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Downloading MNIST</source>
        <translation>MNIST をダウンロード中</translation>
    </message>
    <message>
        <source>Downloading {0}: {1:.1f} of {2:.1f} MB</source>
        <translation>{0} をダウンロード中：{1:.1f} / {2:.1f} MB</translation>
    </message>
    <message>
        <source>Downloading {0}: {1:.1f} MB</source>
        <translation>{0} をダウンロード中：{1:.1f} MB</translation>
    </message>
    <message>
        <source>The folder with the four MNIST files</source>
        <translation>MNIST の 4 つのファイルがあるフォルダ</translation>
    </message>
    <message>
        <source>MNIST could not be loaded</source>
        <translation>MNIST を読み込めませんでした</translation>
    </message>
    <message>
        <source>The training digits could not be found or downloaded. The details say where the program looked and how to put the files in place by hand.</source>
        <translation>訓練用の数字が見つからず、ダウンロードもできませんでした。詳細には、探した場所と、ファイルを手作業で配置する方法が書いてあります。</translation>
    </message>
</context>
<context>
    <name>ModelDocument</name>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近使ったモデル(&amp;R)</translation>
    </message>
    <message>
        <source>untitled</source>
        <translation>無題</translation>
    </message>
    <message>
        <source>network</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>Model: {0}, in training</source>
        <translation>モデル：{0}（学習中）</translation>
    </message>
    <message>
        <source>Model: {0}, untrained {1}</source>
        <translation>モデル：{0}（未学習の {1}）</translation>
    </message>
    <message>
        <source>Model: {0} ({1}), test accuracy {2:.2%}</source>
        <translation>モデル：{0}（{1}）、テスト正解率 {2:.2%}</translation>
    </message>
    <message>
        <source>Model: {0} ({1})</source>
        <translation>モデル：{0}（{1}）</translation>
    </message>
    <message>
        <source>No trained model found ({0}): starting with an untrained cnn.</source>
        <translation>学習済みモデルが見つかりません（{0}）。未学習の cnn で始めます。</translation>
    </message>
    <message>
        <source>The window opened {0} instead.</source>
        <translation>代わりに {0} を開きました。</translation>
    </message>
    <message>
        <source>The window started with an untrained network instead.</source>
        <translation>代わりに未学習のネットワークで始めました。</translation>
    </message>
    <message>
        <source>Open a model</source>
        <translation>モデルを開く</translation>
    </message>
    <message>
        <source>Save the trained model before opening another?</source>
        <translation>別のモデルを開く前に、学習したモデルを保存しますか？</translation>
    </message>
    <message>
        <source>Opened {0}</source>
        <translation>{0} を開きました</translation>
    </message>
    <message>
        <source>the model expects images of shape {0}, but drawings are 28x28 pixels</source>
        <translation>このモデルの入力画像の形は {0} ですが、描いた数字は 28x28 画素です</translation>
    </message>
    <message>
        <source>the model has {0} classes; at most {1} can be shown</source>
        <translation>このモデルのクラス数は {0} ですが、表示できるのは {1} クラスまでです</translation>
    </message>
    <message>
        <source>The model you had before is still loaded.</source>
        <translation>前のモデルがそのまま読み込まれています。</translation>
    </message>
    <message>
        <source>The model could not be opened</source>
        <translation>モデルを開けませんでした</translation>
    </message>
    <message>
        <source>“{0}” is not a model this program can use: {1}.

{2}</source>
        <translation>「{0}」はこのプログラムで使えるモデルではありません：{1}。

{2}</translation>
    </message>
    <message>
        <source>Save the trained model before starting a new one?</source>
        <translation>新しいモデルを始める前に、学習したモデルを保存しますか？</translation>
    </message>
    <message>
        <source>New untrained {0}</source>
        <translation>未学習の新しい {0}</translation>
    </message>
    <message>
        <source>Save the model</source>
        <translation>モデルを保存</translation>
    </message>
    <message>
        <source>The model could not be saved</source>
        <translation>モデルを保存できませんでした</translation>
    </message>
    <message>
        <source>Saving to “{0}” failed: {1}. Nothing was lost: try another folder.</source>
        <translation>「{0}」への保存に失敗しました：{1}。何も失われていません。別のフォルダを試してください。</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>{0} を保存しました</translation>
    </message>
    <message>
        <source>handwrite models (*.npz);;All files (*)</source>
        <translation>handwrite モデル (*.npz);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Clear the list</source>
        <translation>一覧を消去</translation>
    </message>
    <message>
        <source>No recent models</source>
        <translation>最近使ったモデルはありません</translation>
    </message>
</context>
<context>
    <name>ModelStatusBar</name>
    <message>
        <source>Backend: {0}</source>
        <translation>バックエンド：{0}</translation>
    </message>
    <message>
        <source>Prediction runs on the CPU with NumPy</source>
        <translation>認識は CPU 上の NumPy で行います</translation>
    </message>
    <message>
        <source>Training runs on {0}; drawing is recognised with {1}</source>
        <translation>学習は {0} で、描いた数字の認識は {1} で行います</translation>
    </message>
</context>
<context>
    <name>NetworkEditor</name>
    <message>
        <source>MLP (fully connected)</source>
        <translation>MLP（全結合）</translation>
    </message>
    <message>
        <source>CNN (convolutional)</source>
        <translation>CNN（畳込み）</translation>
    </message>
    <message>
        <source>Edited architecture (JSON)</source>
        <translation>編集した構成（JSON）</translation>
    </message>
    <message>
        <source>ReLU</source>
        <translation>ReLU</translation>
    </message>
    <message>
        <source>sigmoid</source>
        <translation>シグモイド</translation>
    </message>
    <message>
        <source>tanh</source>
        <translation>tanh</translation>
    </message>
    <message>
        <source>softmax cross-entropy</source>
        <translation>ソフトマックス交差エントロピー</translation>
    </message>
    <message>
        <source>squared error</source>
        <translation>二乗誤差</translation>
    </message>
    <message>
        <source>max pooling</source>
        <translation>最大プーリング</translation>
    </message>
    <message>
        <source>average pooling</source>
        <translation>平均プーリング</translation>
    </message>
    <message>
        <source>no pooling</source>
        <translation>プーリングなし</translation>
    </message>
    <message>
        <source>before the output layer</source>
        <translation>出力層の前</translation>
    </message>
    <message>
        <source>after every hidden layer</source>
        <translation>各中間層の後</translation>
    </message>
    <message>
        <source>after every layer</source>
        <translation>すべての層の後</translation>
    </message>
    <message>
        <source>Fully connected layers of the widths you choose, then the 10 outputs</source>
        <translation>選んだ幅の全結合層と、10 個の出力</translation>
    </message>
    <message>
        <source>Convolution blocks (convolution, pooling, activation), then fully connected layers and the 10 outputs</source>
        <translation>畳込みブロック（畳込み、プーリング、活性化関数）、全結合層、10 個の出力</translation>
    </message>
    <message>
        <source>Any stack of layers, written as the model file&apos;s JSON</source>
        <translation>モデルファイルの JSON で書いた、任意の層の積み重ね</translation>
    </message>
    <message>
        <source>The function each hidden unit applies to its weighted sum</source>
        <translation>各中間ユニットが重み付き和に適用する関数</translation>
    </message>
    <message>
        <source>What training minimises</source>
        <translation>学習で最小化するもの</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>The widths of the hidden fully connected layers, e.g. 100, 100 for two layers of 100 units ({0} to {1} units, at most {2} layers; none: softmax regression)</source>
        <translation>全結合の中間層の幅。例：100, 100 で 100 ユニットの層が 2 つ（{0}〜{1} ユニット、最大 {2} 層。なし：ソフトマックス回帰）</translation>
    </message>
    <message>
        <source>Feature maps of each convolution block, e.g. 16, 32 for two blocks ({0} to {1} blocks)</source>
        <translation>各畳込みブロックの特徴マップの数。例：16, 32 で 2 ブロック（{0}〜{1} ブロック）</translation>
    </message>
    <message>
        <source>Kernel size of each convolution block, e.g. 5, 5 ({0}×{0} to {1}×{1})</source>
        <translation>各畳込みブロックのカーネルサイズ。例：5, 5（{0}×{0}〜{1}×{1}）</translation>
    </message>
    <message>
        <source>2×2 pooling after each convolution</source>
        <translation>各畳込みの後の 2×2 プーリング</translation>
    </message>
    <message>
        <source>Same size</source>
        <translation>サイズを保つ</translation>
    </message>
    <message>
        <source>Pad each convolution so that it keeps the size of its maps</source>
        <translation>各畳込みにパディングを加え、マップのサイズを保ちます</translation>
    </message>
    <message>
        <source>off</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>Fraction of hidden units switched off at random while training</source>
        <translation>学習中にランダムに止める中間ユニットの割合</translation>
    </message>
    <message>
        <source>Where the dropout layers go</source>
        <translation>ドロップアウト層を入れる場所</translation>
    </message>
    <message>
        <source>Edit architecture…</source>
        <translation>構成を編集…</translation>
    </message>
    <message>
        <source>The whole network as JSON: add, remove or change any layer</source>
        <translation>ネットワーク全体を JSON で：層の追加・削除・変更が自由にできます</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>Hidden layers</source>
        <translation>中間層</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>活性化関数</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>チャンネル</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>損失関数</translation>
    </message>
    <message>
        <source>Kernels</source>
        <translation>カーネル</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>ドロップアウト</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>プーリング</translation>
    </message>
    <message>
        <source>Dropout at</source>
        <translation>ドロップアウトの場所</translation>
    </message>
    <message>
        <source>{0}: write whole numbers separated by commas, such as 16, 32</source>
        <translation>{0}：16, 32 のように、整数をコンマで区切って書いてください</translation>
    </message>
    <message>
        <source>Cannot be built: {0}</source>
        <translation>構築できません：{0}</translation>
    </message>
    <message numerus="yes">
        <source>{0}: %n layer(s), {1:,} weights and biases.</source>
        <translation>
            <numerusform>{0}：%n 層、重みとバイアス {1:,} 個。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NetworkInputView</name>
    <message>
        <source>What the network sees: your drawing cropped, scaled into a 20x20 box and centred by its centre of mass in a 28x28 field, as the MNIST digits were.</source>
        <translation>ネットワークへの入力：描いた数字を切り出して 20x20 の枠に収まるよう拡大縮小し、MNIST の数字と同じように重心で 28x28 の枠の中央に配置したもの。</translation>
    </message>
</context>
<context>
    <name>PersonalPanel</name>
    <message>
        <source>Delete samples</source>
        <translation>サンプルの削除</translation>
    </message>
    <message>
        <source>Delete %n of your samples?</source>
        <translation>サンプルを %n 個削除しますか？</translation>
    </message>
    <message>
        <source>They are removed from your personal set for good.</source>
        <translation>個人データセットから完全に削除されます。</translation>
    </message>
    <message>
        <source>Your samples could not be opened</source>
        <translation>サンプルを開けませんでした</translation>
    </message>
    <message>
        <source>Your personal samples could not be read, and the file could not be moved aside either, so it is left as it is. The samples you add now are saved in a temporary folder, “{0}”, and will not be found there next time.</source>
        <translation>個人サンプルを読み込めず、ファイルを別名に移すこともできなかったため、そのままにしてあります。これから追加するサンプルは一時フォルダ「{0}」に保存され、次回は読み込まれません。</translation>
    </message>
    <message>
        <source>Your personal samples could not be read, so a new, empty set is started. The old file is kept as “{0}”.</source>
        <translation>個人サンプルを読み込めなかったため、新しい空のセットで始めます。古いファイルは「{0}」として残してあります。</translation>
    </message>
    <message>
        <source>Sample {0}: not a digit, added {1}</source>
        <translation>サンプル {0}：数字ではない（{1} に追加）</translation>
    </message>
    <message>
        <source>Sample {0}: a {1}, added {2}</source>
        <translation>サンプル {0}：「{1}」、{2} に追加</translation>
    </message>
    <message>
        <source>The network says it is not a digit</source>
        <translation>ネットワークは「数字ではない」と答えます</translation>
    </message>
    <message>
        <source>The network reads it as {0} ({1:.0%})</source>
        <translation>ネットワークの答え：{0}（{1:.0%}）</translation>
    </message>
    <message>
        <source>Teach it your handwriting</source>
        <translation>自分の手書きを教える</translation>
    </message>
    <message>
        <source>The digit you drew is a {0}</source>
        <translation>書いた数字は {0}</translation>
    </message>
    <message>
        <source>Not a digit</source>
        <translation>数字ではない</translation>
    </message>
    <message>
        <source>What you drew is no digit (a letter, a sign, a scribble): the network should answer “not a digit”</source>
        <translation>描いたものは数字ではない（文字、記号、なぐり書き）：ネットワークには「数字ではない」と答えてほしい</translation>
    </message>
    <message>
        <source>Your samples and how well it reads them</source>
        <translation>自分のサンプルと、その認識結果</translation>
    </message>
    <message>
        <source>How many of your samples the current network reads as you meant: the digit you wrote, or “not a digit”</source>
        <translation>今のネットワークが、あなたのサンプルのうちいくつを意図どおりに読めるか（書いた数字、または「数字ではない」）</translation>
    </message>
    <message>
        <source>Only the ones it gets wrong</source>
        <translation>誤認識したものだけ表示</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>削除…</translation>
    </message>
    <message>
        <source>Delete the selected samples (Delete key)</source>
        <translation>選択したサンプルを削除（Delete キー）</translation>
    </message>
    <message>
        <source>Fine-tune on my handwriting</source>
        <translation>自分の手書きでファインチューニング</translation>
    </message>
    <message>
        <source>Fine-tuning trains the current network a little more, starting from the weights it has. Each step moves every weight downhill on the error E: w(t+1) = w(t) − η∇E, with a small learning rate η so that it adjusts rather than relearns. Your samples are mixed with MNIST digits: trained on your few samples alone, a network soon forgets what it knew (catastrophic forgetting).</source>
        <translation>ファインチューニングは、今のネットワークを現在の重みから少しだけ追加で学習させます。各ステップで、すべての重みを誤差 E が減る方向に動かします：w(t+1) = w(t) − η∇E。学習率 η を小さくするのは、学び直すのではなく微調整するためです。サンプルには MNIST の数字を混ぜます。少数の自分のサンプルだけで学習すると、ネットワークはすぐにそれまでの知識を忘れてしまうからです（破滅的忘却）。</translation>
    </message>
    <message>
        <source>Trains the network a little more on your samples, mixed with MNIST so that it does not forget the rest: w(t+1) = w(t) − η∇E, with a small η.</source>
        <translation>自分のサンプルでネットワークを少しだけ追加で学習させます。ほかの数字を忘れないよう MNIST も混ぜます：w(t+1) = w(t) − η∇E（η は小さめ）。</translation>
    </message>
    <message>
        <source>Passes over your samples and the MNIST digits</source>
        <translation>自分のサンプルと MNIST の数字を何周学習するか</translation>
    </message>
    <message>
        <source>η, the step size of Adam; small, so that the network is only adjusted</source>
        <translation>η：Adam のステップ幅。ネットワークを微調整するだけなので小さめにします</translation>
    </message>
    <message>
        <source>Undo fine-tuning</source>
        <translation>ファインチューニングを取り消す</translation>
    </message>
    <message>
        <source>Go back to the network from before fine-tuning</source>
        <translation>ファインチューニング前のネットワークに戻します</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>エポック数</translation>
    </message>
    <message>
        <source>Learning rate η</source>
        <translation>学習率 η</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>後</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>変化</translation>
    </message>
    <message>
        <source>Your handwriting</source>
        <translation>自分の手書き</translation>
    </message>
    <message>
        <source>MNIST test digits</source>
        <translation>MNIST のテスト画像</translation>
    </message>
    <message numerus="yes">
        <source>Fine-tuning for %n epochs… The live curves are on the Training tab, where it can also be stopped.</source>
        <translation>
            <numerusform>%n エポックのファインチューニング中… 学習曲線は「学習」タブに表示され、そこで停止もできます。</numerusform>
        </translation>
    </message>
    <message>
        <source>Your handwriting ({0})</source>
        <translation>自分の手書き（{0} 個）</translation>
    </message>
    <message>
        <source>MNIST test digits ({0:,})</source>
        <translation>MNIST のテスト画像（{0:,} 枚）</translation>
    </message>
    <message>
        <source>Fine-tuning stopped after {0} of its epochs.</source>
        <translation>ファインチューニングは {0} エポックで停止しました。</translation>
    </message>
    <message numerus="yes">
        <source>Fine-tuning done (%n epochs).</source>
        <translation>
            <numerusform>ファインチューニングが終わりました（%n エポック）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Fine-tuning undone: the network is as it was before.</source>
        <translation>ファインチューニングを取り消しました。ネットワークは元どおりです。</translation>
    </message>
    <message>
        <source>The sample could not be saved</source>
        <translation>サンプルを保存できませんでした</translation>
    </message>
    <message>
        <source>Your drawing could not be added to your samples. Nothing was lost: the drawing is still there, so you can try again.</source>
        <translation>描いた数字をサンプルに追加できませんでした。何も失われていません。数字はそのまま残っているので、もう一度試せます。</translation>
    </message>
    <message numerus="yes">
        <source>Added as not a digit. You have %n samples now ({0} of them not digits).</source>
        <translation>
            <numerusform>「数字ではない」として追加しました。サンプルは全部で %n 個（うち「数字ではない」は {0} 個）です。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added as a {0}. You have %n samples now ({1} of them {0}s).</source>
        <translation>
            <numerusform>「{0}」として追加しました。サンプルは全部で %n 個（うち「{0}」は {1} 個）です。</numerusform>
        </translation>
    </message>
    <message>
        <source>The samples could not be deleted</source>
        <translation>サンプルを削除できませんでした</translation>
    </message>
    <message>
        <source>Your samples were left as they were.</source>
        <translation>サンプルは元のままです。</translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n sample(s).</source>
        <translation>
            <numerusform>サンプルを %n 個削除しました。</numerusform>
        </translation>
    </message>
    <message>
        <source>Draw a digit on the left. Whether the network reads it right or wrong, tell it which digit you meant and add it to your samples.</source>
        <translation>左側に数字を書いてください。ネットワークが正しく読めても読めなくても、どの数字のつもりかを教えてサンプルに追加しましょう。</translation>
    </message>
    <message>
        <source>It reads this as &lt;b&gt;not a digit&lt;/b&gt; (maybe {0}, {1:.0%}). Which digit did you write, if any?</source>
        <translation>これは&lt;b&gt;数字ではない&lt;/b&gt;と読んでいます（{0} かも、{1:.0%}）。数字を書いたのなら、どの数字ですか？</translation>
    </message>
    <message>
        <source>It reads this as &lt;b&gt;{0}&lt;/b&gt; ({1:.0%}). Which digit did you write?</source>
        <translation>ネットワークの答えは &lt;b&gt;{0}&lt;/b&gt;（{1:.0%}）です。どの数字を書きましたか？</translation>
    </message>
    <message>
        <source>Which digit did you write?</source>
        <translation>どの数字を書きましたか？</translation>
    </message>
    <message>
        <source>Add as “{0}”</source>
        <translation>「{0}」として追加</translation>
    </message>
    <message>
        <source>Added. Draw another digit to add more.</source>
        <translation>追加しました。さらに追加するには別の数字を書いてください。</translation>
    </message>
    <message>
        <source>Save this drawing, labelled, to your samples</source>
        <translation>この数字をラベル付きでサンプルに保存します</translation>
    </message>
    <message>
        <source>Add some of your own digits first</source>
        <translation>先に自分の数字をいくつか追加してください</translation>
    </message>
    <message>
        <source>Wait until the training run ends</source>
        <translation>学習が終わるまでお待ちください</translation>
    </message>
    <message>
        <source>No samples yet</source>
        <translation>まだサンプルがありません</translation>
    </message>
    <message>
        <source>This network does not read the ten digits</source>
        <translation>このネットワークは 0〜9 の数字を読むものではありません</translation>
    </message>
    <message>
        <source>Accuracy on your handwriting: {0} ({1} of {2})</source>
        <translation>自分の手書きでの正解率：{0}（{2} 個中 {1} 個）</translation>
    </message>
    <message numerus="yes">
        <source>It misreads: {0} and %n more</source>
        <translation>
            <numerusform>誤認識：{0} ほか %n 個</numerusform>
        </translation>
    </message>
    <message>
        <source>It misreads: {0}</source>
        <translation>誤認識：{0}</translation>
    </message>
    <message>
        <source>It reads every one of them right.</source>
        <translation>すべて正しく認識しています。</translation>
    </message>
    <message>
        <source>digit</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>samples</source>
        <translation>サンプル数</translation>
    </message>
    <message>
        <source>read right</source>
        <translation>正解数</translation>
    </message>
</context>
<context>
    <name>PreprocessView</name>
    <message>
        <source>From your drawing to the network&apos;s input</source>
        <translation>描いた数字からネットワークへの入力まで</translation>
    </message>
    <message>
        <source>Draw a digit to see how it is prepared for the network</source>
        <translation>数字を書くと、ネットワーク向けにどう前処理されるかを表示します</translation>
    </message>
    <message>
        <source>; </source>
        <comment>between the reasons why a drawing looks unusual</comment>
        <translation>。</translation>
    </message>
    <message>
        <source>This doesn&apos;t look like a digit the network has seen: {0}.</source>
        <translation>ネットワークが学習した数字とは様子が違います：{0}。</translation>
    </message>
    <message>
        <source>Ink on {0:.1%} of the sheet · width : height = {1:.2f} · strokes {2:.1f} → {3:.1f} px wide · {4:.0%} of the 28×28 field is ink</source>
        <translation>インクは紙の {0:.1%} · 幅 : 高さ = {1:.2f} · 線の太さ {2:.1f} → {3:.1f} px · 28×28 の枠の {4:.0%} がインク</translation>
    </message>
    <message>
        <source>1. your drawing</source>
        <translation>1. 描いた数字</translation>
    </message>
    <message>
        <source>The drawing and its crop box, the smallest box holding all the ink</source>
        <translation>描いた数字と切り出し枠（インクをすべて含む最小の枠）</translation>
    </message>
    <message>
        <source>2. cropped
{0}×{1} px</source>
        <translation>2. 切り出し
{0}×{1} px</translation>
    </message>
    <message>
        <source>Cropped to the ink; the strongest ink becomes 1</source>
        <translation>インクのある範囲を切り出し、最も濃いインクを 1 にそろえます</translation>
    </message>
    <message>
        <source>3. scaled to {0} px
{1}×{2}</source>
        <translation>3. 長辺を {0} px に
{1}×{2}</translation>
    </message>
    <message>
        <source>The longer side scaled to {0} px, keeping the aspect ratio; strokes {1:.1f} → {2:.1f} px wide, as in MNIST</source>
        <translation>縦横比を保って長い辺を {0} px にし、線の太さを MNIST に合わせて {1:.1f} → {2:.1f} px にします</translation>
    </message>
    <message>
        <source>4. centred in 28×28
✛ centre of mass</source>
        <translation>4. 28×28 の中央へ
✛ 重心</translation>
    </message>
    <message>
        <source>Placed so that the centre of mass (✛, at {0:.1f}, {1:.1f}) is at the field&apos;s centre (14, 14): what the network sees</source>
        <translation>重心（✛、{0:.1f}, {1:.1f}）が枠の中心 (14, 14) に来るように配置：これがネットワークへの入力です</translation>
    </message>
    <message>
        <source>there is almost no ink ({0:.2%} of the sheet), and a dot or a short dash is blown up to fill the whole 20×20 box</source>
        <translation>インクがほとんどありません（紙の {0:.2%}）。点や短い線は 20×20 の枠いっぱいに引き伸ばされます</translation>
    </message>
    <message>
        <source>it is mostly ink ({0:.0%} of the 28×28 field; MNIST digits cover 3–30%): the network knows strokes, not filled shapes</source>
        <translation>ほとんどがインクです（28×28 の枠の {0:.0%}。MNIST の数字は 3〜30%）。ネットワークが知っているのは線で、塗りつぶした形ではありません</translation>
    </message>
    <message>
        <source>it is {0:.1f} times wider than tall, and handwritten digits are taller than wide</source>
        <translation>幅が高さの {0:.1f} 倍あります。手書きの数字はふつう縦長です</translation>
    </message>
    <message>
        <source>it touches the edge of the sheet, so part of it may be missing</source>
        <translation>紙の端に触れているので、一部が欠けているかもしれません</translation>
    </message>
    <message>
        <source>the network is unsure: its best guess has only {0:.0%}</source>
        <translation>ネットワークは自信がありません。一番の候補でも {0:.0%} しかありません</translation>
    </message>
</context>
<context>
    <name>Presets</name>
    <message>
        <source>784-100-100-10 multilayer perceptron with ReLU</source>
        <translation>784-100-100-10 の多層パーセプトロン（ReLU）</translation>
    </message>
    <message>
        <source>conv5x5x32-ReLU-maxpool-conv5x5x64-ReLU-maxpool-fc128-ReLU-dropout-fc10</source>
        <translation>畳込みネットワーク：conv5x5x32-ReLU-maxpool-conv5x5x64-ReLU-maxpool-fc128-ReLU-dropout-fc10</translation>
    </message>
    <message>
        <source>LeNet-5 style: conv5x5x6(pad 2)-tanh-avgpool-conv5x5x16-tanh-avgpool-fc120-tanh-fc84-tanh-fc10</source>
        <translation>LeNet-5 型：conv5x5x6(pad 2)-tanh-avgpool-conv5x5x16-tanh-avgpool-fc120-tanh-fc84-tanh-fc10</translation>
    </message>
    <message>
        <source>cnn with local contrast normalization after the first convolution</source>
        <translation>最初の畳込みの後に局所コントラスト正規化を入れた cnn</translation>
    </message>
</context>
<context>
    <name>ProbabilityView</name>
    <message>
        <source>Draw a digit</source>
        <translation>数字を書いてください</translation>
    </message>
    <message>
        <source>Not a digit? (maybe {0}, {1:.0%})</source>
        <translation>数字ではない？（{0} かも、{1:.0%}）</translation>
    </message>
    <message>
        <source>It is a {0} ({1:.0%} sure)</source>
        <translation>答えは {0}（確信度 {1:.0%}）</translation>
    </message>
    <message>
        <source>A {0} ({1:.0%}) or a {2} ({3:.0%})?</source>
        <translation>{0}（{1:.0%}）か {2}（{3:.0%}）？</translation>
    </message>
    <message>
        <source>maybe {0} ({1:.0%})</source>
        <translation>{0} かも（{1:.0%}）</translation>
    </message>
    <message>
        <source>Not a digit?</source>
        <translation>数字ではない？</translation>
    </message>
</context>
<context>
    <name>ProbePanel</name>
    <message>
        <source>Probe digits</source>
        <translation>プローブ数字</translation>
    </message>
    <message>
        <source>Pin this drawing</source>
        <translation>この数字をピン留め</translation>
    </message>
    <message>
        <source>Keep the digit on the canvas here, to watch the network learn it</source>
        <translation>キャンバスの数字をここに残し、ネットワークがそれを学習する様子を観察します</translation>
    </message>
    <message>
        <source>Remove all</source>
        <translation>すべて削除</translation>
    </message>
    <message>
        <source>Pin a few drawings, then train: their answers change as the network learns.</source>
        <translation>数字をいくつかピン留めしてから学習させると、学習が進むにつれて答えが変わっていく様子がわかります。</translation>
    </message>
    <message>
        <source>Right-click a probe to remove it</source>
        <translation>右クリックでプローブを削除</translation>
    </message>
    <message>
        <source>Remove this probe</source>
        <translation>このプローブを削除</translation>
    </message>
    <message>
        <source>Remove all probes</source>
        <translation>すべてのプローブを削除</translation>
    </message>
    <message>
        <source>The network says: {0}. Right-click to remove.</source>
        <translation>ネットワークの答え：{0}。右クリックで削除。</translation>
    </message>
</context>
<context>
    <name>ReliabilityView</name>
    <message>
        <source>How sure, how right</source>
        <translation>確信度と正しさ</translation>
    </message>
    <message>
        <source>Confidence (the top probability)</source>
        <translation>確信度（いちばん高い確率）</translation>
    </message>
    <message>
        <source>Share right</source>
        <translation>正解の割合</translation>
    </message>
    <message>
        <source>&lt;span style=&quot;color:{0}&quot;&gt;■&lt;/span&gt; the share right in each bin · &lt;span style=&quot;color:{1}&quot;&gt;▲&lt;/span&gt; how sure it was there (mean confidence) · - - - where the two are equal</source>
        <translation>&lt;span style=&quot;color:{0}&quot;&gt;■&lt;/span&gt; 各区間の正解の割合 · &lt;span style=&quot;color:{1}&quot;&gt;▲&lt;/span&gt; その区間での確信度（平均） · - - - 両者が等しい線</translation>
    </message>
    <message>
        <source>After an evaluation: how often the network is right when it is this sure.</source>
        <translation>評価すると、ネットワークがこの確信度のときにどれだけ正しいかがわかります。</translation>
    </message>
    <message>
        <source>Expected calibration error (ECE): &lt;b&gt;{0}&lt;/b&gt; over {1:,} test digits</source>
        <translation>期待較正誤差（ECE）：&lt;b&gt;{0}&lt;/b&gt;（テスト画像 {1:,} 枚）</translation>
    </message>
    <message>
        <source>refused as not a digit: &lt;b&gt;{0}&lt;/b&gt;</source>
        <translation>「数字ではない」と答えた割合：&lt;b&gt;{0}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>right among the answers given: &lt;b&gt;{0}&lt;/b&gt;</source>
        <translation>数字と答えたうちの正解率：&lt;b&gt;{0}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>this model never answers “not a digit”</source>
        <translation>このモデルは「数字ではない」とは答えない</translation>
    </message>
</context>
<context>
    <name>RobustnessView</name>
    <message>
        <source>Rotation</source>
        <translation>回転</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>拡大縮小</translation>
    </message>
    <message>
        <source>Stroke width</source>
        <translation>線の太さ</translation>
    </message>
    <message>
        <source>Blur</source>
        <translation>ぼかし</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>ノイズ</translation>
    </message>
    <message>
        <source>Salt and pepper</source>
        <translation>ごま塩ノイズ</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>平行移動</translation>
    </message>
    <message>
        <source>degrees</source>
        <translation>度</translation>
    </message>
    <message>
        <source>factor</source>
        <translation>倍率</translation>
    </message>
    <message>
        <source>px added to each side</source>
        <translation>両側に加えた太さ（px）</translation>
    </message>
    <message>
        <source>σ (px)</source>
        <translation>σ（px）</translation>
    </message>
    <message>
        <source>σ (ink 0–1)</source>
        <translation>σ（インク 0〜1）</translation>
    </message>
    <message>
        <source>share of pixels</source>
        <translation>画素の割合</translation>
    </message>
    <message>
        <source>px</source>
        <translation>移動量（px）</translation>
    </message>
    <message>
        <source>Each digit turned by the angle, clockwise or anticlockwise</source>
        <translation>各数字をこの角度だけ時計回りまたは反時計回りに回転</translation>
    </message>
    <message>
        <source>Each digit shrunk or enlarged about its centre</source>
        <translation>各数字を中心のまわりに縮小または拡大</translation>
    </message>
    <message>
        <source>Strokes thickened (dilation) or, below 0, thinned (erosion) by the amount</source>
        <translation>線をこの量だけ太く（膨張）、0 未満では細く（収縮）</translation>
    </message>
    <message>
        <source>Blurred by a Gaussian of this standard deviation</source>
        <translation>この標準偏差のガウス関数でぼかす</translation>
    </message>
    <message>
        <source>Gaussian noise of this standard deviation added to every pixel</source>
        <translation>この標準偏差のガウスノイズをすべての画素に加える</translation>
    </message>
    <message>
        <source>This share of the pixels set to full ink or to background</source>
        <translation>この割合の画素を最大のインクか背景にする</translation>
    </message>
    <message>
        <source>Each digit moved this far in a random direction</source>
        <translation>各数字をランダムな向きにこの距離だけ動かす</translation>
    </message>
    <message>
        <source>How the network breaks</source>
        <translation>ネットワークが崩れるところ</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>測定</translation>
    </message>
    <message>
        <source>Measure the accuracy on test digits changed more and more (in the background)</source>
        <translation>少しずつ大きく変形したテスト画像での正解率を測ります（バックグラウンドで実行）</translation>
    </message>
    <message>
        <source>Compare with…</source>
        <translation>比較するモデル…</translation>
    </message>
    <message>
        <source>Open another model file to measure beside this one</source>
        <translation>このモデルと並べて測る別のモデルファイルを開きます</translation>
    </message>
    <message>
        <source>Stop comparing with the other model</source>
        <translation>もう一方のモデルとの比較をやめる</translation>
    </message>
    <message>
        <source>Stop comparing</source>
        <translation>比較をやめる</translation>
    </message>
    <message>
        <source>{0:,} test digits</source>
        <translation>テスト画像 {0:,} 枚</translation>
    </message>
    <message>
        <source>More digits: smoother curves, a longer measurement</source>
        <translation>枚数が多いほど曲線はなめらかになり、測定に時間がかかります</translation>
    </message>
    <message>
        <source>%v of %m evaluations</source>
        <translation>評価 %m 回中 %v 回</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Measure how the accuracy falls as the test digits are rotated, scaled, thinned or thickened, blurred, covered with noise or moved.</source>
        <translation>テスト画像を回転・拡大縮小し、線を細く・太くし、ぼかし、ノイズを加え、動かしたときに正解率がどう下がるかを測ります。</translation>
    </message>
    <message>
        <source>this model ({0})</source>
        <translation>このモデル（{0}）</translation>
    </message>
    <message>
        <source>this model</source>
        <translation>このモデル</translation>
    </message>
    <message>
        <source>The model has changed since these curves were measured: measure again.</source>
        <translation>この曲線を測った後でモデルが変わりました。測り直してください。</translation>
    </message>
    <message>
        <source>Measure to compare the two models.</source>
        <translation>「測定」で2つのモデルを比較します。</translation>
    </message>
    <message>
        <source>Compare with a model</source>
        <translation>比較するモデルを開く</translation>
    </message>
    <message>
        <source>handwrite models (*.npz);;All files (*)</source>
        <translation>handwrite モデル (*.npz);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>The model could not be opened</source>
        <translation>モデルを開けませんでした</translation>
    </message>
    <message>
        <source>“{0}” is not a model this program can use: {1}.</source>
        <translation>「{0}」はこのプログラムで使えるモデルではありません：{1}。</translation>
    </message>
    <message>
        <source>The model could not be compared</source>
        <translation>モデルを比較できませんでした</translation>
    </message>
    <message>
        <source>“{0}” does not read 28×28 digits into the same classes.</source>
        <translation>「{0}」は 28×28 の数字を同じクラスに分類するモデルではありません。</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0}（{1}）</translation>
    </message>
    <message>
        <source>The MNIST test digits are not available.</source>
        <translation>MNIST のテスト画像がありません。</translation>
    </message>
    <message>
        <source>Getting the MNIST test digits…</source>
        <translation>MNIST のテスト画像を準備しています…</translation>
    </message>
    <message>
        <source>The curves need the MNIST test digits.</source>
        <translation>曲線を描くには MNIST のテスト画像が必要です。</translation>
    </message>
    <message>
        <source>Measuring on {0:,} test digits…</source>
        <translation>テスト画像 {0:,} 枚で測定しています…</translation>
    </message>
    <message>
        <source>The measurement failed: {0}</source>
        <translation>測定に失敗しました：{0}</translation>
    </message>
    <message>
        <source>Cancelled; the curves show what was measured.</source>
        <translation>キャンセルしました。曲線はそこまでに測った分です。</translation>
    </message>
    <message>
        <source>{0:,} test digits: {1:.1%} recognised unchanged; the hardest change for this model is {2} (down to {3:.1%}).</source>
        <translation>テスト画像 {0:,} 枚：変形なしで {1:.1%} を正しく認識。このモデルがいちばん苦手な変形は{2}（{3:.1%} まで低下）。</translation>
    </message>
    <message>
        <source>Accuracy (%) of {0}</source>
        <translation>正解率（%）：{0}</translation>
    </message>
</context>
<context>
    <name>RunController</name>
    <message>
        <source>Getting the MNIST digits…</source>
        <translation>MNIST の数字を準備しています…</translation>
    </message>
    <message>
        <source>Training needs the MNIST digits.</source>
        <translation>学習には MNIST の数字が必要です。</translation>
    </message>
    <message>
        <source>Training stopped before it began.</source>
        <translation>学習は始まる前に停止しました。</translation>
    </message>
    <message>
        <source>Training stopped.</source>
        <translation>学習を停止しました。</translation>
    </message>
    <message>
        <source>Training done.</source>
        <translation>学習が終わりました。</translation>
    </message>
    <message>
        <source>{0} {1:.2%} of the test digits recognised.</source>
        <translation>{0}テスト画像の {1:.2%} を正しく認識しました。</translation>
    </message>
    <message>
        <source>Training went wrong</source>
        <translation>学習がうまくいきませんでした</translation>
    </message>
    <message>
        <source>The network stopped learning: its error grew without bound (it diverged). This usually means the learning rate is too high: try a smaller one, e.g. a tenth of it. The last good weights are kept.</source>
        <translation>誤差が際限なく大きくなり（発散し）、学習が止まりました。たいていは学習率が大きすぎるのが原因です。小さな値（たとえば 10 分の 1）を試してください。最後の正常な重みは残してあります。</translation>
    </message>
    <message>
        <source>Training could not run</source>
        <translation>学習を実行できませんでした</translation>
    </message>
    <message>
        <source>Training stopped with this problem:

{0}</source>
        <translation>次の問題で学習が止まりました：

{0}</translation>
    </message>
    <message>
        <source>The experiment failed</source>
        <translation>実験に失敗しました</translation>
    </message>
    <message>
        <source>The experiment stopped with this problem:

{0}</source>
        <translation>次の問題で実験が止まりました：

{0}</translation>
    </message>
    <message>
        <source>The evaluation failed</source>
        <translation>評価に失敗しました</translation>
    </message>
    <message>
        <source>The test digits could not be recognised: {0}</source>
        <translation>テスト画像を認識できませんでした：{0}</translation>
    </message>
</context>
<context>
    <name>RunsView</name>
    <message>
        <source>{0} unknown</source>
        <translation>{0} 不明</translation>
    </message>
    <message>
        <source>lr {0:g}</source>
        <translation>学習率 {0:g}</translation>
    </message>
    <message>
        <source>{0} schedule</source>
        <translation>スケジュール：{0}</translation>
    </message>
    <message>
        <source>full batch</source>
        <translation>全バッチ</translation>
    </message>
    <message>
        <source>batch {0}</source>
        <translation>バッチ {0}</translation>
    </message>
    <message>
        <source>epochs {0}</source>
        <translation>エポック数 {0}</translation>
    </message>
    <message>
        <source>no dropout</source>
        <translation>ドロップアウトなし</translation>
    </message>
    <message>
        <source>dropout {0:g}</source>
        <translation>ドロップアウト {0:g}</translation>
    </message>
    <message>
        <source>no weight decay</source>
        <translation>重み減衰なし</translation>
    </message>
    <message>
        <source>weight decay {0:g}</source>
        <translation>重み減衰 {0:g}</translation>
    </message>
    <message>
        <source>augmented</source>
        <translation>データ拡張あり</translation>
    </message>
    <message>
        <source>not augmented</source>
        <translation>データ拡張なし</translation>
    </message>
    <message>
        <source>{0:,} images</source>
        <translation>{0:,} 枚</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>run {0}</source>
        <translation>学習 {0}</translation>
    </message>
    <message>
        <source>{0}. {1}</source>
        <translation>{0}. {1}</translation>
    </message>
    <message>
        <source>{0}. {1}: {2}</source>
        <translation>{0}. {1}：{2}</translation>
    </message>
    <message>
        <source>training…</source>
        <translation>学習中…</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>発散</translation>
    </message>
    <message>
        <source>{0}, stopped</source>
        <translation>{0}、停止</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Untick all</source>
        <translation>すべてのチェックを外す</translation>
    </message>
    <message>
        <source>Forget unticked</source>
        <translation>チェックのない学習を消す</translation>
    </message>
    <message>
        <source>Remove the runs not ticked from the list</source>
        <translation>チェックしていない学習を一覧から取り除きます</translation>
    </message>
    <message>
        <source>Tick runs to compare them. Each run of this session is listed here.</source>
        <translation>比較する学習にチェックを入れてください。このセッションの学習はすべてここに並びます。</translation>
    </message>
</context>
<context>
    <name>SaliencyView</name>
    <message>
        <source>Saliency</source>
        <translation>サリエンシー（顕著性）</translation>
    </message>
    <message>
        <source>The class whose score is differentiated</source>
        <translation>スコアを微分するクラス</translation>
    </message>
    <message>
        <source>for</source>
        <translation>対象</translation>
    </message>
    <message>
        <source>Draw a digit to see which pixels decide the answer</source>
        <translation>数字を書くと、答えを決めている画素を表示します</translation>
    </message>
    <message>
        <source>the answer</source>
        <translation>答えのクラス</translation>
    </message>
    <message>
        <source>∂y/∂x for “{0}”</source>
        <translation>「{0}」の ∂y/∂x</translation>
    </message>
    <message>
        <source>The gradient alone; full colour at ±{0:.3g}</source>
        <translation>勾配のみ。±{0:.3g} で最も濃い色</translation>
    </message>
    <message>
        <source>over the digit</source>
        <translation>数字に重ねて表示</translation>
    </message>
    <message>
        <source>Red: more ink here would make “{0}” more likely; blue: less</source>
        <translation>赤：ここにインクを足すと「{0}」らしさが増す。青：減る</translation>
    </message>
    <message>
        <source>Red pixels raise the score of “{0}”, blue ones lower it; the stronger the colour, the more the pixel matters.</source>
        <translation>赤い画素は「{0}」のスコアを上げ、青い画素は下げます。色が濃いほど、その画素の影響が大きいことを表します。</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>SGD</source>
        <translation>SGD</translation>
    </message>
    <message>
        <source>Momentum SGD</source>
        <translation>モーメンタム SGD</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>一定</translation>
    </message>
    <message>
        <source>one-cycle</source>
        <translation>ワンサイクル</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>コサイン</translation>
    </message>
    <message>
        <source>How big a step each batch takes (Adam: about 0.001)</source>
        <translation>バッチごとの更新の大きさ（Adam では 0.001 程度）</translation>
    </message>
    <message>
        <source>How the learning rate changes during the run</source>
        <translation>学習中の学習率の変え方</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>Pulls every weight a little towards 0 at each step (usually 1e-5 to 1e-3)</source>
        <translation>各ステップですべての重みを少しずつ 0 に近づけます（通常 1e-5〜1e-3）</translation>
    </message>
    <message>
        <source>Images per step</source>
        <translation>1 ステップあたりの画像数</translation>
    </message>
    <message>
        <source>Passes over the training images</source>
        <translation>訓練画像を何周学習するか</translation>
    </message>
    <message>
        <source>all 60,000</source>
        <translation>全 60,000 枚</translation>
    </message>
    <message>
        <source>Train on the first N MNIST images only (a tenth of them is held out for validation): a quick run on a slow computer</source>
        <translation>MNIST の最初の N 枚だけで学習します（その 10 分の 1 は検証用に取り分けます）。遅いコンピュータで手早く試すのに</translation>
    </message>
    <message>
        <source>CPU (NumPy)</source>
        <translation>CPU (NumPy)</translation>
    </message>
    <message>
        <source>GPU (CuPy)</source>
        <translation>GPU (CuPy)</translation>
    </message>
    <message>
        <source>GPU (needs CuPy and a CUDA device)</source>
        <translation>GPU（CuPy と CUDA デバイスが必要）</translation>
    </message>
    <message>
        <source>Augment</source>
        <translation>アフィン変換</translation>
    </message>
    <message>
        <source>Random small rotations, scalings, shears and shifts of the training images</source>
        <translation>訓練画像にランダムな小さい回転・拡大縮小・せん断・平行移動を加えます</translation>
    </message>
    <message>
        <source>Elastic</source>
        <translation>弾性変形</translation>
    </message>
    <message>
        <source>Also bend the images a little (elastic distortion)</source>
        <translation>画像を少しゆがませることもします（弾性変形）</translation>
    </message>
    <message>
        <source>Measure each layer</source>
        <translation>各層を測定</translation>
    </message>
    <message>
        <source>While training, measure each layer&apos;s gradients, updates, dead units and weights (the Why it learns tab, and the doctor)</source>
        <translation>学習中に各層の勾配、更新量、死んだユニット、重みを測定します（「学習のしくみ」タブとドクターが使います）</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>最適化手法</translation>
    </message>
    <message>
        <source>none (never refuses)</source>
        <translation>なし（拒否しない）</translation>
    </message>
    <message>
        <source>Drawings that are not digits (letters, symbols, scribbles, shapes, cut digits) added to each batch, per digit: the network learns an 11th answer, “not a digit”. 0 trains a network that never refuses</source>
        <translation>数字ではない描画（文字、記号、落書き、図形、切れた数字）を数字 1 個あたりこの割合でバッチに加えます。ネットワークは 11 番目の答え「数字ではない」を学びます。0 なら拒否しないネットワークを学習します</translation>
    </message>
    <message>
        <source>The share of training digits redrawn as a pen on the canvas draws them (uniform round strokes), so that drawn digits read better</source>
        <translation>キャンバスのペンと同じように（均一な太さの丸い線で）描き直す学習用数字の割合。描いた数字が読みやすくなります</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学習率</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>スケジュール</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>重み減衰</translation>
    </message>
    <message>
        <source>Not digits</source>
        <translation>数字でないもの</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>バッチサイズ</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>エポック数</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>画像数</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>デバイス</translation>
    </message>
    <message>
        <source>Pen look</source>
        <translation>ペンの見た目</translation>
    </message>
    <message>
        <source>Variety</source>
        <translation>データ拡張</translation>
    </message>
    <message>
        <source>Learning</source>
        <translation>学習方法</translation>
    </message>
    <message>
        <source>Your own network: its layers, activation, loss and dropout</source>
        <translation>自分のネットワーク：層、活性化関数、損失関数、ドロップアウト</translation>
    </message>
    <message>
        <source>How it learns: the optimizer, the steps, the images</source>
        <translation>学習のさせ方：最適化手法、ステップ、画像</translation>
    </message>
    <message>
        <source>Defaults</source>
        <translation>既定値</translation>
    </message>
    <message>
        <source>The Start defaults: a small CNN (16 and 32 maps), 4 epochs of Adam on a one-cycle schedule, augmented images</source>
        <translation>開始時の既定値：小さな CNN（16 と 32 マップ）、ワンサイクルのスケジュールで Adam を 4 エポック、データ拡張した画像</translation>
    </message>
    <message>
        <source>Start training</source>
        <translation>学習を開始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>続きを学習</translation>
    </message>
    <message>
        <source>Not training</source>
        <translation>学習していません</translation>
    </message>
    <message>
        <source>Train a network on the 60,000 MNIST digits and watch it learn.</source>
        <translation>MNIST の 60,000 枚の数字でネットワークを学習させ、その様子を観察しましょう。</translation>
    </message>
    <message>
        <source>The network cannot be built: {0}</source>
        <translation>ネットワークを構築できません：{0}</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>Continues a run where it stopped: train or open a checkpoint (a model saved after training here, or by “handwrite train”) first</source>
        <translation>止めた学習をその続きから再開します。先に学習するか、チェックポイント（ここで学習後に保存したモデル、または「handwrite train」で作ったもの）を開いてください</translation>
    </message>
    <message numerus="yes">
        <source>Continue this run (%n epoch(s) done) for the number of epochs set above, with its own settings, weights and optimizer state</source>
        <translation>
            <numerusform>この学習（%n エポック済み）を、上で設定したエポック数だけ続けます。設定・重み・最適化手法の状態はその学習のものを使います</numerusform>
        </translation>
    </message>
    <message>
        <source>An experiment is running (Experiments tab)</source>
        <translation>実験を実行中です（「実験」タブ）</translation>
    </message>
    <message>
        <source>Preparing the images…</source>
        <translation>画像を準備しています…</translation>
    </message>
    <message>
        <source>Stopping after this batch…</source>
        <translation>このバッチの後で停止します…</translation>
    </message>
    <message>
        <source>Paused at %p%</source>
        <translation>%p% で一時停止中</translation>
    </message>
    <message numerus="yes">
        <source>The curves show how {0} learned: %n epoch(s), {1:.2%} of the test digits right.</source>
        <translation>
            <numerusform>{0} の学習曲線：%n エポック、テスト正解率 {1:.2%}。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The curves show how {0} learned: %n epoch(s).</source>
        <translation>
            <numerusform>{0} の学習曲線：%n エポック。</numerusform>
        </translation>
    </message>
    <message>
        <source>The curves show how {0} learned: {1:.2%} of the test digits right.</source>
        <translation>{0} の学習曲線：テスト正解率 {1:.2%}。</translation>
    </message>
    <message>
        <source>The curves show how {0} learned.</source>
        <translation>{0} の学習曲線です。</translation>
    </message>
    <message>
        <source>Starting on {0}…</source>
        <translation>{0} で開始しています…</translation>
    </message>
    <message>
        <source>Training on {0:,} images, validating on {1:,}, testing on {2:,}.</source>
        <translation>訓練 {0:,} 枚、検証 {1:,} 枚、テスト {2:,} 枚で学習します。</translation>
    </message>
    <message>
        <source>Epoch {0}/{1} · {2:.0%} · {3:,.0f} images/s · {4} left</source>
        <translation>エポック {0}/{1} · {2:.0%} · {3:,.0f} 枚/秒 · 残り {4}</translation>
    </message>
    <message>
        <source>validation {0:.2%}, test {1:.2%}</source>
        <translation>検証 {0:.2%}、テスト {1:.2%}</translation>
    </message>
    <message>
        <source>validation {0:.2%}</source>
        <translation>検証 {0:.2%}</translation>
    </message>
    <message>
        <source>test {0:.2%}</source>
        <translation>テスト {0:.2%}</translation>
    </message>
    <message>
        <source>Epoch {0}/{1} took {2}: {3}</source>
        <translation>エポック {0}/{1}（{2}）：{3}</translation>
    </message>
    <message numerus="yes">
        <source>Stopped after %n epoch(s) in {0}</source>
        <translation>
            <numerusform>%n エポック（{0}）で停止</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Done after %n epoch(s) in {0}</source>
        <translation>
            <numerusform>%n エポック（{0}）で完了</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped after %n epoch(s) in {0}: {1:.2%} of the test digits right</source>
        <translation>
            <numerusform>%n エポック（{0}）で停止：テスト正解率 {1:.2%}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Done after %n epoch(s) in {0}: {1:.2%} of the test digits right</source>
        <translation>
            <numerusform>%n エポック（{0}）で完了：テスト正解率 {1:.2%}</numerusform>
        </translation>
    </message>
    <message>
        <source>Training diverged</source>
        <translation>学習が発散しました</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>学習に失敗しました</translation>
    </message>
</context>
<context>
    <name>TrainingPlot</name>
    <message>
        <source>Loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <source>Accuracy (%)</source>
        <translation>正解率 (%)</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>エポック</translation>
    </message>
    <message>
        <source>batch loss</source>
        <translation>バッチの損失</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>平滑化</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>検証</translation>
    </message>
    <message>
        <source>training</source>
        <translation>訓練</translation>
    </message>
    <message>
        <source>test</source>
        <translation>テスト</translation>
    </message>
</context>
<context>
    <name>TrainingTab</name>
    <message>
        <source>Curves</source>
        <translation>曲線</translation>
    </message>
    <message>
        <source>The loss and accuracy of the run, live</source>
        <translation>学習中の損失と正解率</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比較</translation>
    </message>
    <message>
        <source>The runs of this session, side by side</source>
        <translation>このセッションの学習を並べて比較</translation>
    </message>
    <message>
        <source>Why it learns</source>
        <translation>学習のしくみ</translation>
    </message>
    <message>
        <source>Each layer&apos;s gradients, updates, dead units and weights</source>
        <translation>各層の勾配、更新量、死んだユニット、重み</translation>
    </message>
    <message>
        <source>Doctor</source>
        <translation>ドクター</translation>
    </message>
    <message>
        <source>What goes wrong in the run, and what to try</source>
        <translation>学習でうまくいっていないことと、試すこと</translation>
    </message>
    <message>
        <source>Experiments</source>
        <translation>実験</translation>
    </message>
    <message>
        <source>The lecture&apos;s comparisons, in one click</source>
        <translation>講義の比較実験をワンクリックで</translation>
    </message>
    <message>
        <source>Doctor ({0})</source>
        <translation>ドクター（{0}）</translation>
    </message>
    <message>
        <source>The layers of the experiment&apos;s {0} network.</source>
        <translation>実験の「{0}」のネットワークの各層。</translation>
    </message>
</context>
<context>
    <name>UnitView</name>
    <message>
        <source>Layer {0}, {1}: channel {2}, row {3}, column {4}</source>
        <translation>第 {0} 層、{1}：チャネル {2}、{3} 行 {4} 列</translation>
    </message>
    <message>
        <source>Layer {0}, {1}: unit {2}</source>
        <translation>第 {0} 層、{1}：ユニット {2}</translation>
    </message>
    <message>
        <source>z = {0} = {1} = &lt;b&gt;{2}&lt;/b&gt; ({3})</source>
        <translation>z = {0} = {1} = &lt;b&gt;{2}&lt;/b&gt;（{3}）</translation>
    </message>
    <message>
        <source>One unit&apos;s arithmetic</source>
        <translation>1つのユニットの計算</translation>
    </message>
    <message>
        <source>Point at a unit in the feature maps to see how its value is computed; click it to keep it here</source>
        <translation>特徴マップのユニットにポインタを合わせると、その値の計算を表示します。クリックすると表示を固定します</translation>
    </message>
    <message>
        <source>channel {0}, row {1}, column {2}</source>
        <translation>チャネル {0}、{1} 行 {2} 列</translation>
    </message>
    <message>
        <source>unit {0}</source>
        <translation>ユニット {0}</translation>
    </message>
    <message>
        <source>Layer {0} ({1}), {2}: &lt;b&gt;{3}&lt;/b&gt;</source>
        <translation>第 {0} 層（{1}）、{2}：&lt;b&gt;{3}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>the 28×28 input
field {0}×{1}</source>
        <translation>28×28 の入力
受容野 {0}×{1}</translation>
    </message>
    <message>
        <source>The pixels this unit&apos;s value depends on: its receptive field</source>
        <translation>このユニットの値を左右する画素：受容野</translation>
    </message>
    <message>
        <source>your drawing</source>
        <translation>描いた数字</translation>
    </message>
    <message>
        <source>The same field on the canvas (the preprocessing undone)</source>
        <translation>キャンバス上の同じ受容野（前処理を逆にたどったもの）</translation>
    </message>
</context>
<context>
    <name>_ChannelStrip</name>
    <message>
        <source>Each of the {0} input channels adds its own sum of products (click one to see it); channel {1} is shown:</source>
        <translation>{0} 個の入力チャネルがそれぞれ積の和を加えます（クリックでそのチャネルを表示）。表示中はチャネル {1}：</translation>
    </message>
</context>
<context>
    <name>_ConvCard</name>
    <message>
        <source>input patch x</source>
        <translation>入力パッチ x</translation>
    </message>
    <message>
        <source>kernel w</source>
        <translation>カーネル w</translation>
    </message>
    <message>
        <source>products x·w</source>
        <translation>積 x·w</translation>
    </message>
    <message>
        <source>Σ of the {0}×{1} products of channel {2} = {3}</source>
        <translation>チャネル {2} の {0}×{1} 個の積の和 Σ = {3}</translation>
    </message>
    <message>
        <source>Σ over all {0} channels ({1} products) = {2}</source>
        <translation>全 {0} チャネル（積 {1} 個）の和 Σ = {2}</translation>
    </message>
    <message>
        <source>Σ of the {0} products = {1}</source>
        <translation>{0} 個の積の和 Σ = {1}</translation>
    </message>
    <message>
        <source>u = Σ x·w + b = {0} {1} = &lt;b&gt;{2}&lt;/b&gt;</source>
        <translation>u = Σ x·w + b = {0} {1} = &lt;b&gt;{2}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Grey cells lie outside the map: the padding, zeros.</source>
        <translation>灰色のマスはマップの外側、つまり 0 で埋めたパディングです。</translation>
    </message>
</context>
<context>
    <name>_DenseCard</name>
    <message>
        <source>inputs x</source>
        <translation>入力 x</translation>
    </message>
    <message>
        <source>weights w</source>
        <translation>重み w</translation>
    </message>
    <message>
        <source>products x·w</source>
        <translation>積 x·w</translation>
    </message>
    <message>
        <source>x&lt;sub&gt;{0}&lt;/sub&gt;·w&lt;sub&gt;{0}&lt;/sub&gt; = {1} × {2} = {3}</source>
        <translation>x&lt;sub&gt;{0}&lt;/sub&gt;·w&lt;sub&gt;{0}&lt;/sub&gt; = {1} × {2} = {3}</translation>
    </message>
    <message>
        <source>The largest of the {0} products:</source>
        <translation>{0} 個の積のうち絶対値の大きいもの：</translation>
    </message>
    <message>
        <source>u = Σ&lt;sub&gt;i&lt;/sub&gt; w&lt;sub&gt;i&lt;/sub&gt; x&lt;sub&gt;i&lt;/sub&gt; + b = {0} {1} = &lt;b&gt;{2}&lt;/b&gt;</source>
        <translation>u = Σ&lt;sub&gt;i&lt;/sub&gt; w&lt;sub&gt;i&lt;/sub&gt; x&lt;sub&gt;i&lt;/sub&gt; + b = {0} {1} = &lt;b&gt;{2}&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>_LcnCard</name>
    <message>
        <source>the mean over channels</source>
        <translation>チャネル平均</translation>
    </message>
    <message>
        <source>Gaussian weights</source>
        <translation>ガウス重み</translation>
    </message>
    <message>
        <source>their products</source>
        <translation>その積</translation>
    </message>
    <message>
        <source>the local σ</source>
        <translation>局所 σ</translation>
    </message>
    <message>
        <source>the mean σ over the map</source>
        <translation>マップ全体の σ の平均</translation>
    </message>
    <message>
        <source>local mean m = Σ w·x̄ = {0}</source>
        <translation>局所平均 m = Σ w·x̄ = {0}</translation>
    </message>
    <message>
        <source>v = x − m = {0} − {1} = {2}</source>
        <translation>v = x − m = {0} − {1} = {2}</translation>
    </message>
    <message>
        <source>local σ = {0}, mean σ over the map = {1}, ε = {2}</source>
        <translation>局所 σ = {0}、マップ全体の σ の平均 = {1}、ε = {2}</translation>
    </message>
    <message>
        <source>divisor = max(mean σ, local σ, ε) = {0} ({1})</source>
        <translation>割る数 = max(σ の平均, 局所 σ, ε) = {0}（{1}）</translation>
    </message>
    <message>
        <source>z = v / divisor = {0} / {1} = &lt;b&gt;{2}&lt;/b&gt;</source>
        <translation>z = v / 割る数 = {0} / {1} = &lt;b&gt;{2}&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>_PassThroughCard</name>
    <message>
        <source>z = the value of unit ({0}) of layer {1} = &lt;b&gt;{2}&lt;/b&gt;</source>
        <translation>z = 第 {1} 層のユニット ({0}) の値 = &lt;b&gt;{2}&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>_PoolCard</name>
    <message>
        <source>the window</source>
        <translation>窓</translation>
    </message>
    <message>
        <source>z = max of the {0}×{1} window = &lt;b&gt;{2}&lt;/b&gt; (outlined)</source>
        <translation>z = {0}×{1} の窓の最大値 = &lt;b&gt;{2}&lt;/b&gt;（枠で囲んだマス）</translation>
    </message>
    <message>
        <source>z = (1/{0}) Σ of the {1}×{2} window = {3} / {0} = &lt;b&gt;{4}&lt;/b&gt;</source>
        <translation>z = (1/{0}) × {1}×{2} の窓の和 = {3} / {0} = &lt;b&gt;{4}&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Something went wrong</source>
        <translation>問題が発生しました</translation>
    </message>
    <message>
        <source>An unexpected error happened; the program carries on and nothing was lost. If it happens again, please report it with the details below.</source>
        <translation>予期しないエラーが起きましたが、プログラムはそのまま動いており、何も失われていません。再び起きる場合は、下の詳細を添えて報告してください。</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <source>Unsaved model</source>
        <translation>未保存のモデル</translation>
    </message>
    <message>
        <source>The network you trained is not saved yet.</source>
        <translation>学習したネットワークはまだ保存されていません。</translation>
    </message>
    <message>
        <source>MNIST is needed</source>
        <translation>MNIST が必要です</translation>
    </message>
    <message>
        <source>&lt;b&gt;Training needs the MNIST digits, which were not found.&lt;/b&gt;</source>
        <translation>&lt;b&gt;学習には MNIST の数字が必要ですが、見つかりませんでした。&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Download them now (about 11 MB, from the public MNIST mirrors), or choose a folder that holds the four MNIST files?</source>
        <translation>今すぐダウンロードしますか（約 11 MB、公開されている MNIST のミラーから）？ それとも MNIST の 4 つのファイルがあるフォルダを選びますか？</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>ダウンロード</translation>
    </message>
    <message>
        <source>Choose Folder…</source>
        <translation>フォルダを選択…</translation>
    </message>
    <message>
        <source>About handwrite</source>
        <translation>handwrite について</translation>
    </message>
    <message>
        <source>&lt;b&gt;handwrite {0}&lt;/b&gt;&lt;p&gt;Draw a digit and watch a neural network, written from scratch in NumPy, recognise it. Train your own network on MNIST and watch it learn.&lt;/p&gt;</source>
        <translation>&lt;b&gt;handwrite {0}&lt;/b&gt;&lt;p&gt;数字を書くと、NumPy でゼロから実装したニューラルネットワークがそれを認識します。MNIST で自分のネットワークを学習させ、学習の様子を観察することもできます。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>formatting</name>
    <message>
        <source>{0} pts</source>
        <translation>{0} ポイント</translation>
    </message>
</context>
<context>
    <name>language</name>
    <message>
        <source>&amp;Language</source>
        <translation>言語(&amp;L)</translation>
    </message>
    <message>
        <source>System Default ({0})</source>
        <translation>システムの設定（{0}）</translation>
    </message>
</context>
</TS>
